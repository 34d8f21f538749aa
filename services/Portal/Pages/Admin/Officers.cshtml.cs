using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Permits.Contracts.Identity.V1;
using Permits.Portal.Pages.Officer;
using Permits.Portal.Web;
using Permits.Shared.Security;

namespace Permits.Portal.Pages.Admin;

/// <summary>
/// 工作人员账号: the 系统管理员 (folder policy) lists the officers of the county, creates one (the temporary password is
/// shown on this answer only, never stored by the Portal) and reads who changed which account when. Identity decides
/// everything (scope, roles, refusals) from the session's token; a provincial administrator picks the county.
/// </summary>
public sealed class OfficersModel(ILogger<OfficersModel> logger) : PageModel
{
    /// <summary>Every officer role, in the words the pages use (受理 … 系统管理员).</summary>
    public static readonly IReadOnlyList<Option> Roles =
        [.. OfficerIdentity.RoleOptions, new Option(PermitsRoles.SystemAdmin, "系统管理员")];

    public OfficerIdentity Officer { get; private set; } = OfficerIdentity.Nobody;

    /// <summary>The county shown: the administrator's own, or the one a provincial administrator asked for.</summary>
    [BindProperty(SupportsGet = true)]
    public string? County { get; set; }

    public IReadOnlyList<OfficerAccount> Accounts { get; private set; } = [];

    public IReadOnlyList<OfficerAccountChange> Changes { get; private set; } = [];

    /// <summary>The account just created, with its temporary password (shown once).</summary>
    public OfficerAccountSecret? Created { get; private set; }

    public FormErrors Errors { get; private set; } = FormErrors.None;

    public string? Error { get; private set; }

    public CreateOfficerAccountRequest Form { get; private set; } = new();

    public bool IsProvincial => Officer.CountyCode.EndsWith("0000", StringComparison.Ordinal);

    public string CountyShown => string.IsNullOrWhiteSpace(County) ? Officer.CountyCode : County.Trim();

    public static string RoleWords(IEnumerable<string> roles) =>
        string.Join("、", roles.Select(r => Roles.FirstOrDefault(o => o.Value == r)?.Label ?? r));

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostCreateAsync(
        string? username, string? displayName, string[]? roles, string? countyCode, CancellationToken cancellationToken)
    {
        Form = new CreateOfficerAccountRequest
        {
            Username = username ?? "", DisplayName = displayName ?? "", CountyCode = countyCode ?? County ?? "", Roles = { roles ?? [] },
        };
        await CallAsync(async (client, options) => Created = await client.CreateOfficerAccountAsync(Form, options), cancellationToken);
        if (Created is not null)
        {
            Form = new CreateOfficerAccountRequest();
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var request = new ListOfficerAccountsRequest { CountyCode = CountyShown };
        await CallAsync(async (client, options) =>
        {
            Accounts = (await client.ListOfficerAccountsAsync(request, options)).Officers;
            Changes = (await client.ListOfficerAccountChangesAsync(request, options)).Changes;
        }, cancellationToken);
    }

    private async Task CallAsync(Func<OfficerAccounts.OfficerAccountsClient, CallOptions, Task> call, CancellationToken cancellationToken)
    {
        Officer = OfficerIdentity.From(HttpContext);
        var (errors, error) = await OfficerAccountsCall.RunAsync(HttpContext, logger, call, cancellationToken);
        Errors = errors.Any ? errors : Errors;
        Error ??= error;
    }
}
