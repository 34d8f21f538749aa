using System.Text;
using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Permits.Contracts.Certificate.V1;
using Permits.Portal.Web;

namespace Permits.Portal.Pages.Licences;

/// <summary>
/// 下载电子许可证: the holder fetches the PDF licence or the signed JSON. Until sign-in exists, the application number
/// together with the licence number shows that the licence is theirs. A plain form, no script.
/// </summary>
public sealed class IndexModel(Certificates.CertificatesClient certificates) : PageModel
{
    [BindProperty(Name = "application")]
    public string? ApplicationNumber { get; set; }

    [BindProperty(Name = "number")]
    public string? LicenceNumber { get; set; }

    [BindProperty(Name = "format")]
    public string? Format { get; set; }

    public FormErrors Errors { get; private set; } = FormErrors.None;

    public string? Problem { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        LicenceDocument document;
        try
        {
            document = await certificates.GetLicenceDocumentAsync(
                new GetLicenceDocumentRequest
                {
                    ApplicationNumber = ApplicationNumber?.Trim() ?? "",
                    LicenceNumber = LicenceNumber?.Trim() ?? "",
                },
                cancellationToken: cancellationToken);
        }
        catch (RpcException error) when (error.StatusCode == Grpc.Core.StatusCode.InvalidArgument)
        {
            Errors = FormErrors.From(error);
            return Page();
        }
        catch (RpcException error) when (error.StatusCode is Grpc.Core.StatusCode.NotFound or Grpc.Core.StatusCode.FailedPrecondition)
        {
            Problem = error.Status.Detail;
            return Page();
        }

        return Format == "json"
            ? File(Encoding.UTF8.GetBytes(document.SignedJson), "application/json",
                Path.ChangeExtension(document.FileName, ".json"))
            : File(document.Pdf.ToByteArray(), "application/pdf", document.FileName);
    }
}
