using Grpc.Core;
using Permits.Contracts.Review.V1;
using Permits.Portal.Security;
using Permits.Portal.Web;
using Permits.Shared.Security;

namespace Permits.Portal.Pages.Officer;

/// <summary>
/// The signed-in officer working at the officer pages: from the Portal session's claims (sub, name, role, county),
/// never from the query string or the form. Review trusts only the access token the calls carry
/// (<see cref="PortalCaller.HeadersAsync"/>); this is for showing the right forms and the right county.
/// </summary>
public sealed record OfficerIdentity(string OfficerId, string Name, IReadOnlyList<string> Roles, string CountyCode)
{
    public static readonly IReadOnlyList<Option> RoleOptions =
    [
        new("clerk", "受理"),
        new("inspector", "核查"),
        new("reviewer", "审核"),
        new("head", "审批（负责人）"),
    ];

    public static readonly OfficerIdentity Nobody = new("", "", [], "");

    public static OfficerIdentity From(HttpContext context)
    {
        var caller = PortalCaller.Identity(context);
        return new OfficerIdentity(
            caller.Subject ?? "",
            caller.Name ?? "",
            PermitsRoles.Officer.Where(caller.IsInRole).ToList(),
            caller.County ?? "");
    }

    /// <summary>The first of the officer's roles, for what the pages show.</summary>
    public string Role => Roles.Count > 0 ? Roles[0] : "";

    public bool HasRole(string role) => Roles.Contains(role);

    public string RoleLabel => string.Join("、", Roles.Select(r => RoleOptions.FirstOrDefault(o => o.Value == r)?.Label ?? r));

    public string DisplayName => Name.Length > 0 ? $"{Name}（{OfficerId}）" : OfficerId;

    public CaseActionRequest Action(string caseId, string note = "") => new() { CaseId = caseId, Note = note };

    /// <summary>Route values for redirects and links (the identity never travels in them).</summary>
    public static object RouteValues(object? extra = null)
    {
        var values = new Dictionary<string, object?>();
        if (extra is not null)
        {
            foreach (var property in extra.GetType().GetProperties())
            {
                values[property.Name] = property.GetValue(extra);
            }
        }

        return values;
    }

    /// <summary>Call options carrying the officer's access token, with the request's cancellation.</summary>
    public static async Task<CallOptions> CallAsync(HttpContext context, CancellationToken cancellationToken) =>
        new(headers: await PortalCaller.HeadersAsync(context), cancellationToken: cancellationToken);
}
