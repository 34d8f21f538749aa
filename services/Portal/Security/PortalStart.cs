using System.Security.Claims;
using Permits.Shared.Security;

namespace Permits.Portal.Security;

/// <summary>
/// Where each person starts after signing in: the county's review officers (受理, 核查, 审核, 审批) at their work queue,
/// which shows their own steps — the head too, because approving is the head's daily work; the queue links the
/// deadline board — the disclosure clerk (政务公开) at the disclosure requests desk, the 系统管理员 at the county's
/// licence register (import and export), a shopkeeper at 我的办件. A sign-in
/// that came from a page (a link to a case, say) goes back there when the person's role may use it, otherwise to their
/// start page, never to a page that would only refuse them.
/// </summary>
public static class PortalStart
{
    public const string Path = "/start";

    public const string Queue = "/officer";
    public const string DisclosureDesk = "/officer/disclosure-requests";
    public const string MyApplications = "/my";
    public const string Register = "/admin/register";

    /// <summary>The roles of the county's review work (not 政务公开, who works disclosure requests).</summary>
    public static readonly IReadOnlyList<string> CountyRoles = [PermitsRoles.Clerk, PermitsRoles.Inspector, PermitsRoles.Reviewer, PermitsRoles.Head];

    /// <summary>The person's own start page; the home page for someone with no role here.</summary>
    public static string PageFor(ClaimsPrincipal user)
    {
        if (IsCountyOfficer(user))
        {
            return Queue;
        }

        if (user.HasClaim(PermitsClaims.Role, PermitsRoles.DisclosureClerk))
        {
            return DisclosureDesk;
        }

        if (user.HasClaim(PermitsClaims.Role, PermitsRoles.SystemAdmin))
        {
            return Register;
        }

        return user.HasClaim(PermitsClaims.Role, PermitsRoles.Applicant) ? MyApplications : LocalUrl.Home;
    }

    /// <summary>The words of a link to a start page (“前往待办队列” …).</summary>
    public static string LinkText(string startPage) => startPage switch
    {
        Queue => "前往待办队列",
        DisclosureDesk => "前往依申请公开办理台",
        MyApplications => "前往我的办件",
        Register => "前往许可证登记簿",
        _ => "返回首页",
    };

    public static bool IsCountyOfficer(ClaimsPrincipal user) =>
        CountyRoles.Any(role => user.HasClaim(PermitsClaims.Role, role)) && user.HasClaim(c => c.Type == PermitsClaims.County);

    /// <summary>
    /// Where the sign-in callback goes: no page asked for — the start page (decided once the person is known); the home
    /// page or an address that is not ours — home, as before; any other page of ours — through the start page, which
    /// lets the person there only if their role may use it.
    /// </summary>
    public static string AfterSignIn(string? returnUrl)
    {
        if (string.IsNullOrEmpty(returnUrl))
        {
            return Path;
        }

        var local = LocalUrl.OrHome(returnUrl);
        return local == LocalUrl.Home ? local : Path + "?returnUrl=" + Uri.EscapeDataString(local);
    }

    /// <summary>
    /// Whether the person's role may use the page at <paramref name="url"/> (the same split as the page folders'
    /// policies in <see cref="PortalModuleExtensions"/>); public pages are everyone's.
    /// </summary>
    public static bool MayUse(ClaimsPrincipal user, string url)
    {
        var path = new PathString(url.Split('?', '#')[0]);
        if (path.StartsWithSegments(DisclosureDesk, StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/officer/annual-reports", StringComparison.OrdinalIgnoreCase))
        {
            return user.HasClaim(PermitsClaims.Role, PermitsRoles.DisclosureClerk);
        }

        if (path.StartsWithSegments("/admin", StringComparison.OrdinalIgnoreCase))
        {
            return user.HasClaim(PermitsClaims.Role, PermitsRoles.SystemAdmin);
        }

        if (path.StartsWithSegments(Queue, StringComparison.OrdinalIgnoreCase))
        {
            return IsCountyOfficer(user);
        }

        if (path.StartsWithSegments(MyApplications, StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/apply", StringComparison.OrdinalIgnoreCase))
        {
            return user.HasClaim(PermitsClaims.Role, PermitsRoles.Applicant);
        }

        return true;
    }

    /// <summary><c>GET /start</c>: the page asked for when the role may use it, else the person's start page.</summary>
    public static WebApplication MapPortalStart(this WebApplication app)
    {
        app.MapGet(Path, (HttpContext context, string? returnUrl) =>
        {
            var user = context.User;
            if (user.Identity?.IsAuthenticated != true)
            {
                return Results.Redirect(context.Request.PathBase + LocalUrl.Home);
            }

            var asked = LocalUrl.IsLocal(returnUrl) && returnUrl != LocalUrl.Home ? returnUrl! : null;
            var target = asked is not null && MayUse(user, asked) ? asked : PageFor(user);
            return Results.Redirect(context.Request.PathBase + target);
        });
        return app;
    }
}
