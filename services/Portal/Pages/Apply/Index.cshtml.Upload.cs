using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Permits.Contracts.Intake.V1;
using Permits.Portal.Web;
using Permits.Shared.Domain;

namespace Permits.Portal.Pages.Apply;

/// <summary>上传材料: a file attached to the draft (saved first) or, answering a correction notice, to the application.</summary>
public sealed partial class IndexModel
{
    internal const long MaxUploadBytes = 3 * 1024 * 1024;

    /// <summary>
    /// 上传材料: saves the whole form as a draft first (nothing typed is lost), then attaches the chosen file to it.
    /// Intake checks the type by content and the size; its message comes back next to the file box.
    /// </summary>
    public async Task<IActionResult> OnPostUploadAsync(CancellationToken cancellationToken)
    {
        if (RequireSignIn() is { } signIn)
        {
            return signIn;
        }

        try
        {
            var headers = await HeadersAsync();
            var upload = new UploadMaterialRequest
            {
                Kind = Enum.TryParse<Permits.Contracts.Intake.V1.MaterialKind>(MaterialKind, out var kind) ? kind : Permits.Contracts.Intake.V1.MaterialKind.Unspecified,
            };
            if (IsResubmission)
            {
                // 补正: the new file goes to the application itself; the form stays as typed on this page.
                upload.ApplicationId = Form.ResubmitId;
            }
            else
            {
                var saved = await applications.SaveDraftAsync(
                    new SaveDraftRequest { DraftId = Form.DraftId ?? "", Form = Form.ToRequest() }, headers, cancellationToken: cancellationToken);
                Form.DraftId = upload.DraftId = saved.DraftId;
            }

            if (await CheckFileAsync(cancellationToken) is { } content)
            {
                upload.FileName = MaterialFile!.FileName;
                upload.Content = content;
                await applications.UploadMaterialAsync(upload, headers, cancellationToken: cancellationToken);
                if (!IsResubmission)
                {
                    TempData[Banner.Success] = "材料已上传，草稿已保存。";
                    return Redirect("/apply?draft=" + Uri.EscapeDataString(upload.DraftId) + "#materials");
                }

                Notice = $"材料“{MaterialFile.FileName}”已上传。改完其余各项后，请点“提交补正”。";
            }
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
        {
            return await FailedAsync(ex, "材料未能上传", "请稍后再试", cancellationToken);
        }

        await LoadMaterialsAsync(cancellationToken);
        return await ShowAsync(cancellationToken);
    }

    /// <summary>The chosen file's bytes, or null with the reason next to the file box.</summary>
    private async Task<Google.Protobuf.ByteString?> CheckFileAsync(CancellationToken cancellationToken)
    {
        if (MaterialFile is null || MaterialFile.Length == 0)
        {
            Errors = One("content", "请选择要上传的文件");
            return null;
        }

        if (MaterialFile.Length > MaxUploadBytes)
        {
            Errors = One("content", "文件太大：每个文件不超过 3 MB，请压缩或拍得小一些");
            return null;
        }

        using var buffer = new MemoryStream();
        await MaterialFile.CopyToAsync(buffer, cancellationToken);
        return Google.Protobuf.ByteString.CopyFrom(buffer.ToArray());
    }

    /// <summary>One field's message, in the shape Intake's answers have.</summary>
    private static FormErrors One(string field, string message)
    {
        try
        {
            new FieldErrors().Add(field, message).ThrowIfAny();
        }
        catch (RpcException ex)
        {
            return FormErrors.From(ex);
        }

        return FormErrors.None;
    }
}
