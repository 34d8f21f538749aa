using Permits.Contracts.Review.V1;
using Permits.Portal.Web;

namespace Permits.Portal.Pages.Officer;

/// <summary>
/// Who is working at the officer pages. Until officers sign in it is typed in (id, role, county) and travels in the
/// query string and hidden fields; with sign-in it comes from the signed-in user's claims, and Review reads the
/// token instead of these fields. This class is the one place the pages take it from.
/// </summary>
public sealed record OfficerIdentity(string OfficerId, string Role, string CountyCode)
{
    public const string DefaultOfficerId = "clerk-01";
    public const string DefaultRole = "clerk";

    public static readonly IReadOnlyList<Option> Roles =
    [
        new("clerk", "受理"),
        new("inspector", "核查"),
        new("reviewer", "审核"),
        new("head", "审批（负责人）"),
    ];

    public static OfficerIdentity From(string? officerId, string? role, string countyCode) => new(
        string.IsNullOrWhiteSpace(officerId) ? DefaultOfficerId : officerId.Trim(),
        Roles.Any(r => r.Value == role) ? role! : DefaultRole,
        countyCode);

    public string RoleLabel => Roles.FirstOrDefault(r => r.Value == Role)?.Label ?? Role;

    public CaseActionRequest Action(string caseId, string note = "") => new()
    {
        CaseId = caseId,
        OfficerId = OfficerId,
        OfficerRole = Role,
        OfficerCountyCode = CountyCode,
        Note = note,
    };

    /// <summary>Route values that keep the identity across redirects and links.</summary>
    public object RouteValues(object? extra = null)
    {
        var values = new Dictionary<string, object?> { ["county"] = CountyCode, ["officer"] = OfficerId, ["role"] = Role };
        if (extra is not null)
        {
            foreach (var property in extra.GetType().GetProperties())
            {
                values[property.Name] = property.GetValue(extra);
            }
        }

        return values;
    }
}
