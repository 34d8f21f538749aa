using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Permits.Contracts.Identity.V1;
using Permits.Portal.Pages.Officer;
using Permits.Portal.Web;

namespace Permits.Portal.Pages.Admin;

/// <summary>
/// One officer's account for the 系统管理员: change the roles, deactivate or reactivate, reset the password (the
/// temporary one shown on this answer only). Each change is Identity's: it refuses what may not be done (oneself, the
/// county's last system-admin, another county) with a sentence this page shows.
/// </summary>
public sealed class OfficerAccountModel(ILogger<OfficerAccountModel> logger) : PageModel
{
    public OfficerIdentity Officer { get; private set; } = OfficerIdentity.Nobody;

    [BindProperty(SupportsGet = true)]
    public string Username { get; set; } = "";

    /// <summary>For a provincial administrator: the county the account is in (the list links it).</summary>
    [BindProperty(SupportsGet = true)]
    public string? County { get; set; }

    public OfficerAccount? Account { get; private set; }

    /// <summary>After a reset: the temporary password, shown once.</summary>
    public string? TemporaryPassword { get; private set; }

    public string? Done { get; private set; }

    public FormErrors Errors { get; private set; } = FormErrors.None;

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return Account is null && Error is null ? NotFound() : Page();
    }

    public Task<IActionResult> OnPostRolesAsync(string[]? roles, CancellationToken cancellationToken) =>
        ChangeAsync(async (client, options) =>
        {
            var account = await client.SetOfficerRolesAsync(new SetOfficerRolesRequest { Username = Username, Roles = { roles ?? [] } }, options);
            Done = $"已将岗位调整为：{OfficersModel.RoleWords(account.Roles)}。本人下次登录时生效。";
        }, cancellationToken);

    public Task<IActionResult> OnPostDeactivateAsync(CancellationToken cancellationToken) =>
        ChangeAsync(async (client, options) =>
        {
            await client.DeactivateOfficerAccountAsync(new OfficerAccountRequest { Username = Username }, options);
            Done = "账号已停用：本人不能再登录，已登录的会话已结束。";
        }, cancellationToken);

    public Task<IActionResult> OnPostReactivateAsync(CancellationToken cancellationToken) =>
        ChangeAsync(async (client, options) =>
        {
            await client.ReactivateOfficerAccountAsync(new OfficerAccountRequest { Username = Username }, options);
            Done = "账号已启用，本人可以重新登录。";
        }, cancellationToken);

    public Task<IActionResult> OnPostResetAsync(CancellationToken cancellationToken) =>
        ChangeAsync(async (client, options) =>
        {
            TemporaryPassword = (await client.ResetOfficerPasswordAsync(new OfficerAccountRequest { Username = Username }, options)).TemporaryPassword;
            Done = "密码已重置，已登录的会话已结束。";
        }, cancellationToken);

    private async Task<IActionResult> ChangeAsync(Func<OfficerAccounts.OfficerAccountsClient, CallOptions, Task> change, CancellationToken cancellationToken)
    {
        (Errors, Error) = await OfficerAccountsCall.RunAsync(HttpContext, logger, change, cancellationToken);
        if (Errors.Any)
        {
            Error = "未能办理：" + string.Join("；", Errors.Items.Select(i => i.Message));
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Officer = OfficerIdentity.From(HttpContext);
        var (_, error) = await OfficerAccountsCall.RunAsync(HttpContext, logger, async (client, options) =>
        {
            var accounts = await client.ListOfficerAccountsAsync(new ListOfficerAccountsRequest { CountyCode = County ?? "" }, options);
            Account = accounts.Officers.FirstOrDefault(o => o.Username == Username);
        }, cancellationToken);
        Error ??= error;
    }
}
