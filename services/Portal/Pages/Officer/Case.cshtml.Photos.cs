using Google.Protobuf;
using Grpc.Core;
using Permits.Contracts.Intake.V1;
using Permits.Contracts.Review.V1;
using Permits.Portal.Web;

namespace Permits.Portal.Pages.Officer;

/// <summary>
/// 现场照片: the inspector's photos go to Intake (which keeps every file of the application) before the inspection is
/// recorded, and the record names them by material id; the case page shows such a reference as the photo itself.
/// </summary>
public sealed partial class CaseModel
{
    /// <summary>The file box of the inspection form, where an upload's refusal is shown.</summary>
    public const string PhotoField = "photo_files";

    /// <summary>
    /// Uploads each chosen photo to the case's application; the material ids, or null with the reason (naming the file)
    /// next to the file box. Intake checks the type by content; a photo it already has is not stored twice.
    /// </summary>
    private async Task<IReadOnlyList<string>?> UploadPhotosAsync(IEnumerable<IFormFile> files, CancellationToken ct)
    {
        var ids = new List<string>();
        var current = "";
        try
        {
            var applicationId = (await cases.GetCaseAsync(new GetCaseRequest { CaseId = CaseId }, Call(ct))).ApplicationId;
            foreach (var file in files.Where(f => f.Length > 0))
            {
                current = file.FileName;
                if (file.Length > Apply.IndexModel.MaxUploadBytes)
                {
                    Errors = FormErrors.Of(PhotoField, $"照片“{current}”太大：每张不超过 {Apply.IndexModel.MaxUploadBytes / 1024 / 1024} MB，请压缩后再上传");
                    return null;
                }

                using var buffer = new MemoryStream();
                await file.CopyToAsync(buffer, ct);
                var material = await applications.UploadInspectionPhotoAsync(new UploadInspectionPhotoRequest
                {
                    ApplicationId = applicationId, FileName = file.FileName, Content = ByteString.CopyFrom(buffer.ToArray()),
                }, Call(ct));
                ids.Add(material.MaterialId);
            }
        }
        catch (RpcException ex) when (!ct.IsCancellationRequested)
        {
            var why = OfficerErrors.Explain(ex, logger).Replace("未能办理：", "", StringComparison.Ordinal);
            Errors = FormErrors.Of(PhotoField, current.Length > 0 ? $"照片“{current}”未能上传：{why}" : $"照片未能上传：{why}");
            return null;
        }

        return ids;
    }

    /// <summary>The files the applicant filed, without the inspectors' site photos (those show with the inspection).</summary>
    public IReadOnlyList<Material> ApplicantMaterials =>
        Filed?.Materials.Where(m => m.Kind != MaterialKind.SitePhoto).ToList() ?? [];

    /// <summary>The photo of the case's application a reference names (a material id), or null for a reference typed in.</summary>
    public Material? SitePhoto(string reference) =>
        Filed?.Materials.FirstOrDefault(m => m.MaterialId == reference && m.ContentType.StartsWith("image/", StringComparison.Ordinal));
}
