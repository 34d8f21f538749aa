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
        new(PermitsRoles.DisclosureClerk, "政务公开"),
    ];

    /// <summary>
    /// The work steps of an open case (Review's CaseStep codes, as ListQueue filters on them) in the words the queue's
    /// filter offers; the label of a row comes from Review (Case.step_label). Hint: the role that works the step, whose
    /// officers a claimed case may be handed to.
    /// </summary>
    public static readonly IReadOnlyList<Option> Steps =
    [
        new("Acceptance", "待受理", PermitsRoles.Clerk),
        new("Correction", "补正已退回", PermitsRoles.Clerk),
        new("Inspection", "待核查", PermitsRoles.Inspector),
        new("Opinion", "待审核", PermitsRoles.Reviewer),
        new("Approval", "待审批", PermitsRoles.Head),
        new("Extension", "延期申请", PermitsRoles.Head),
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

    /// <summary>The role whose officers work <paramref name="step"/> (clerk for 待受理 …); "" for an unknown step.</summary>
    public static string RoleFor(string step) => Steps.FirstOrDefault(s => s.Value == step)?.Hint ?? "";

    public static string RoleWord(string role) => RoleOptions.FirstOrDefault(o => o.Value == role)?.Label ?? "其他";

    public string RoleLabel => string.Join("、", Roles.Select(RoleWord));

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
