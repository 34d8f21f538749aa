using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Permits.Portal.Security;
using Permits.Portal.Web;
using Permits.Shared.Security;

namespace Permits.Portal.Pages.My;

/// <summary>
/// Pages that act for the signed-in shopkeeper: without a sign-in they send the person to sign in (by mobile number)
/// and back; Intake checks the token again on every call. With sign-in switched off (no Identity:Authority) they
/// still call Intake, which refuses them: applying needs a signed-in shopkeeper in every mode.
/// </summary>
public abstract class ApplicantPage(IConfiguration configuration) : PageModel
{
    protected bool SignInEnabled => PortalSignIn.IsEnabled(configuration);

    /// <summary>Null when the shopkeeper may go on; otherwise where to send them.</summary>
    protected IActionResult? RequireSignIn()
    {
        if (!SignInEnabled)
        {
            return null;
        }

        var caller = PortalCaller.Identity(HttpContext);
        if (!caller.IsAuthenticated)
        {
            return SignIn();
        }

        return caller.IsInRole(PermitsRoles.Applicant) ? null : Forbid();
    }

    /// <summary>To the sign-in page and back here; with sign-in switched off there is nowhere to go, so say so.</summary>
    protected IActionResult SignIn() => SignInEnabled
        ? Redirect($"{PortalSignIn.SignInPath}?kind=applicant&returnUrl={Uri.EscapeDataString(Request.Path + Request.QueryString)}")
        : new ContentResult
        {
            StatusCode = StatusCodes.Status503ServiceUnavailable,
            ContentType = "text/plain; charset=utf-8",
            Content = "在线申请需要先登录，但本站尚未开通登录，请到办事大厅办理或稍后再试。",
        };

    protected Task<Metadata> HeadersAsync() => PortalCaller.HeadersAsync(HttpContext);

    protected static bool NeedsSignIn(RpcException ex) => CallFailures.Of(ex) == CallFailure.SignIn;

    /// <summary>
    /// A failure of a step on the shopkeeper's own application they can act on: what they typed, a step not possible
    /// now, or nothing of theirs. Such a failure is told in the alert banner (<see cref="AlertOf"/>); any other passes on.
    /// </summary>
    protected static bool CanAlert(RpcException ex) =>
        CallFailures.Of(ex) is CallFailure.Fields or CallFailure.Refused or CallFailure.NotFound;

    /// <summary>The service's own words: each field's message, or the reason the step was refused.</summary>
    protected static string AlertOf(RpcException ex) => CallFailures.Of(ex) == CallFailure.Fields
        ? string.Join("；", FormErrors.From(ex).Items.Select(i => i.Message))
        : ex.Status.Detail;
}
