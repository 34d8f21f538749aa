using System.Text;
using Grpc.Core;
using GrpcCode = Grpc.Core.StatusCode;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Permits.Contracts.Certificate.V1;
using Permits.Portal.Security;

namespace Permits.Portal.Pages.Licences;

/// <summary>
/// The licence files for the signed-in holder or an officer of the licence's county: the PDF face or the signed JSON.
/// The Portal decides nothing: it forwards the person's token and Certificate says yes or no. A GET, so a plain link
/// downloads it; it changes nothing.
/// </summary>
public sealed class DownloadModel(Certificates.CertificatesClient certificates, IConfiguration configuration) : PageModel
{
    [FromRoute(Name = "number")]
    public string? Number { get; set; }

    [FromRoute(Name = "format")]
    public string? Format { get; set; }

    public string Problem { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var signedIn = PortalCaller.Identity(HttpContext).IsAuthenticated;
        if (!signedIn && PortalSignIn.IsEnabled(configuration))
        {
            return Redirect($"{PortalSignIn.SignInPath}?kind=applicant&returnUrl={Uri.EscapeDataString(Request.Path + Request.QueryString)}");
        }

        LicenceDocument document;
        try
        {
            document = await certificates.GetLicenceDocumentAsync(
                new GetLicenceDocumentRequest { LicenceNumber = Number?.Trim() ?? "" }, await PortalCaller.HeadersAsync(HttpContext),
                cancellationToken: cancellationToken);
        }
        catch (RpcException error) when (error.StatusCode is GrpcCode.Unauthenticated)
        {
            Problem = "请先登录：只有持证人本人或发证县的工作人员可以下载许可证文件。任何人都可以在核验页面查看许可证的公开信息。";
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }
        catch (RpcException error) when (error.StatusCode is GrpcCode.PermissionDenied)
        {
            Problem = error.Status.Detail;
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return Page();
        }
        catch (RpcException error) when (error.StatusCode is GrpcCode.NotFound or GrpcCode.InvalidArgument)
        {
            Problem = error.StatusCode == GrpcCode.NotFound ? "没有该许可证。" : "许可证号应为 12 位数字。";
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }
        catch (RpcException error) when (error.StatusCode is GrpcCode.FailedPrecondition or GrpcCode.Unavailable)
        {
            Problem = error.Status.Detail;
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return Page();
        }

        return Format == "json"
            ? File(Encoding.UTF8.GetBytes(document.SignedJson), "application/json", Path.ChangeExtension(document.FileName, ".json"))
            : File(document.Pdf.ToByteArray(), "application/pdf", document.FileName);
    }
}
