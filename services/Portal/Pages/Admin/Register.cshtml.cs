using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Permits.Contracts.Certificate.V1;
using Permits.Portal.Pages.Officer;
using Permits.Portal.Web;

namespace Permits.Portal.Pages.Admin;

/// <summary>
/// 许可证登记簿: the county's 系统管理员 (system-admin, folder policy) uploads the register of the previous system
/// (CSV UTF-8 or XLSX) and sees Certificate's answer — imported, unchanged, or every rejected row with its reason — and
/// downloads the county's register (CSV or XLSX). The county comes from the session's token, never the form.
/// </summary>
[RequestSizeLimit(MaxUploadBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = MaxUploadBytes)]
public sealed class RegisterModel(Certificates.CertificatesClient certificates, ILogger<RegisterModel> logger) : PageModel
{
    /// <summary>As Certificate accepts (64 MB: a county's 100,000 licences are some 20 MB as CSV).</summary>
    public const int MaxUploadBytes = 64 * 1024 * 1024;

    /// <summary>An import of a large register takes a while; the Portal's usual call deadline is seconds.</summary>
    public static readonly TimeSpan LongCall = TimeSpan.FromMinutes(5);

    public OfficerIdentity Officer { get; private set; } = OfficerIdentity.Nobody;

    public ImportLicencesResponse? Result { get; private set; }

    public string? FileName { get; private set; }

    public FormErrors Errors { get; private set; } = FormErrors.None;

    public string? Error { get; private set; }

    public void OnGet() => Officer = OfficerIdentity.From(HttpContext);

    public async Task<IActionResult> OnPostImportAsync(IFormFile? file, CancellationToken cancellationToken)
    {
        Officer = OfficerIdentity.From(HttpContext);
        if (file is null || file.Length == 0)
        {
            Errors = FormErrors.Of("file", "请选择要导入的登记簿文件（.csv 或 .xlsx）");
            return Page();
        }

        FileName = file.FileName;
        using var content = new MemoryStream();
        await file.CopyToAsync(content, cancellationToken);
        try
        {
            Result = await certificates.ImportLicencesAsync(
                new ImportLicencesRequest { FileName = file.FileName, Content = ByteString.CopyFrom(content.ToArray()) },
                await LongCallAsync(cancellationToken));
        }
        catch (RpcException ex) when (ex.StatusCode == Grpc.Core.StatusCode.InvalidArgument)
        {
            var errors = FormErrors.From(ex);
            Errors = FormErrors.Of("file", string.Join("；", new[] { errors.For("file_name"), errors.For("content") }.Where(m => m is { Length: > 0 })));
        }
        catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            Error = OfficerErrors.Explain(ex, logger);
        }

        return Page();
    }

    public async Task<IActionResult> OnGetExportAsync(string? format, CancellationToken cancellationToken)
    {
        Officer = OfficerIdentity.From(HttpContext);
        try
        {
            var file = await certificates.ExportLicencesAsync(
                new ExportLicencesRequest { Format = format ?? "csv" }, await LongCallAsync(cancellationToken));
            return File(file.Content.ToByteArray(), file.ContentType, file.FileName);
        }
        catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            Error = OfficerErrors.Explain(ex, logger).Replace("未能办理：", "未能导出：", StringComparison.Ordinal);
            return Page();
        }
    }

    private async Task<CallOptions> LongCallAsync(CancellationToken cancellationToken) =>
        (await OfficerIdentity.CallAsync(HttpContext, cancellationToken)).WithDeadline(DateTime.UtcNow.Add(LongCall));
}
