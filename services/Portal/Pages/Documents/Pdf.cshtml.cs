using System.Net.Http.Headers;
using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Permits.Contracts.Certificate.V1;
using Permits.Portal.Security;
using GrpcCode = Grpc.Core.StatusCode;

namespace Permits.Portal.Pages.Documents;

/// <summary>
/// A formal document's signed PDF, shown inline so the browser opens and prints it, for the applicant who owns the
/// application or an officer of its county: the Portal forwards the person's token and Certificate decides. The
/// applicant's first opening of a decision they agreed to receive electronically is its service (Certificate records it).
/// </summary>
public sealed class PdfModel(Certificates.CertificatesClient certificates, IConfiguration configuration) : PageModel
{
    [FromQuery(Name = "number")]
    public string? Number { get; set; }

    public string Problem { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!PortalCaller.Identity(HttpContext).IsAuthenticated && PortalSignIn.IsEnabled(configuration))
        {
            return Redirect($"{PortalSignIn.SignInPath}?kind=applicant&returnUrl={Uri.EscapeDataString(Request.Path + Request.QueryString)}");
        }

        OfficialDocumentFile file;
        try
        {
            file = await certificates.GetDocumentAsync(
                new GetDocumentRequest { DocumentNumber = Number?.Trim() ?? "" }, await PortalCaller.HeadersAsync(HttpContext),
                cancellationToken: cancellationToken);
        }
        catch (RpcException error) when (error.StatusCode is GrpcCode.Unauthenticated)
        {
            return Refused(StatusCodes.Status401Unauthorized, "请先登录：只有申请人本人或受理该申请的县级局工作人员可以查看文书。");
        }
        catch (RpcException error) when (error.StatusCode is GrpcCode.PermissionDenied)
        {
            return Refused(StatusCodes.Status403Forbidden, error.Status.Detail);
        }
        catch (RpcException error) when (error.StatusCode is GrpcCode.NotFound or GrpcCode.InvalidArgument)
        {
            return Refused(StatusCodes.Status404NotFound, "没有该文书。");
        }
        catch (RpcException error) when (error.StatusCode is GrpcCode.FailedPrecondition or GrpcCode.Unavailable)
        {
            return Refused(StatusCodes.Status503ServiceUnavailable, error.Status.Detail);
        }

        Response.Headers.ContentDisposition = new ContentDispositionHeaderValue("inline") { FileNameStar = file.FileName }.ToString();
        return File(file.Pdf.ToByteArray(), "application/pdf");
    }

    private PageResult Refused(int status, string problem)
    {
        Problem = problem;
        Response.StatusCode = status;
        return Page();
    }
}
