using Microsoft.AspNetCore.Mvc.RazorPages;
using Permits.Portal.Security;
using Permits.Shared.Security;

namespace Permits.Portal.Pages.Licences;

/// <summary>
/// 电子许可证: where the licence files are. They are not handed out here by application and licence number any more
/// (both appear in the public disclosure records): the holder downloads them from their own application page, officers
/// from the licence pages, each signed in (<see cref="DownloadModel"/>).
/// </summary>
public sealed class IndexModel(IConfiguration configuration) : PageModel
{
    public bool SignInEnabled => PortalSignIn.IsEnabled(configuration);

    public bool IsApplicant { get; private set; }

    public bool IsOfficer { get; private set; }

    public void OnGet()
    {
        var caller = PortalCaller.Identity(HttpContext);
        IsApplicant = caller.IsInRole(PermitsRoles.Applicant);
        IsOfficer = caller.IsOfficer && caller.County is not null;
    }
}
