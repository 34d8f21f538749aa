using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Permits.Portal.Pages.Officer;
using Permits.Portal.Security;
using Permits.Shared.Security;

namespace Permits.Portal.Pages.Status;

/// <summary>
/// The page an error status gets in the site's layout (<see cref="PortalStatusPages"/>): 404 an unknown address,
/// 403 a page the person's role cannot use (naming their role and offering their own start page), 500 a failure with
/// the request id to quote to support. Re-executed for any method, so no form token is asked for.
/// </summary>
[IgnoreAntiforgeryToken]
public sealed class IndexModel : PageModel
{
    public int Code { get; private set; }

    public string Title { get; private set; } = "";

    public string Message { get; private set; } = "";

    /// <summary>The signed-in person's start page, when it is not the home page.</summary>
    public string? StartPage { get; private set; }

    public string? RequestId { get; private set; }

    public void OnGet(int code) => Show(code);

    public void OnPost(int code) => Show(code);

    private void Show(int code)
    {
        var reExecuted = HttpContext.Features.Get<IStatusCodeReExecuteFeature>() is not null
                         || HttpContext.Features.Get<IExceptionHandlerPathFeature>() is not null;
        Code = code is >= 400 and <= 599 ? code : StatusCodes.Status404NotFound;
        if (!reExecuted)
        {
            Response.StatusCode = Code;
        }

        var start = User.Identity?.IsAuthenticated == true ? PortalStart.PageFor(User) : LocalUrl.Home;
        StartPage = start == LocalUrl.Home ? null : start;
        (Title, Message) = Code switch
        {
            StatusCodes.Status404NotFound => ("没有找到您要的页面", "网址可能输错了，或页面已经移走。请从首页或您的工作台重新进入。"),
            StatusCodes.Status403Forbidden => ("您的账号不能使用这个页面", Denied()),
            StatusCodes.Status405MethodNotAllowed => ("无法这样打开页面", "请从首页或您的工作台重新进入。"),
            >= 500 => ("系统出了点问题", "请稍后重试。如果问题持续存在，请把下面的请求编号告诉技术支持人员，以便查找原因。"),
            _ => ("无法完成请求", "请返回上一页重试，或从首页重新进入。"),
        };
        if (Code >= 500)
        {
            RequestId = Activity.Current?.TraceId.ToString() ?? HttpContext.TraceIdentifier;
        }
    }

    private string Denied()
    {
        var roles = PermitsRoles.All.Where(r => User.HasClaim(PermitsClaims.Role, r)).ToList();
        if (roles.Count == 0)
        {
            return "这个页面只对相应岗位的工作人员或申请人开放。";
        }

        var words = roles.Select(r => r == PermitsRoles.Applicant ? "申请人" : OfficerIdentity.RoleWord(r) + "岗");
        return $"这个页面供其他岗位使用，您当前登录的身份（{string.Join("、", words)}）不能办理其中的事项。请到您的工作台办理，或退出后换用相应岗位的账号登录。";
    }
}
