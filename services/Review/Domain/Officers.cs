namespace Permits.Review.Domain;

/// <summary>The officer roles of a county bureau, as the sign-in token's <c>role</c> claim spells them.</summary>
public enum OfficerRole
{
    /// <summary>受理: intake clerk.</summary>
    Clerk,

    /// <summary>核查: site inspector (two per visit).</summary>
    Inspector,

    /// <summary>审核: reviewer.</summary>
    Reviewer,

    /// <summary>审批: approving head.</summary>
    Head,
}

/// <summary>Everything an officer can ask Review to do.</summary>
public enum ReviewAction
{
    ViewQueue,
    ViewCase,
    Claim,
    Release,
    Accept,
    NotAccept,
    RequestCorrection,
    RecordInspection,
    RecordOpinion,
    Approve,
    Deny,
    Extend,
}

/// <summary>
/// Who is acting, built once per call from the access token's claims (sub, name, role, county) — see
/// <c>Grpc/OfficerContexts.cs</c>, the one place.
/// </summary>
/// <param name="Role">Null when the caller named no known role: every action is refused.</param>
/// <param name="PeerAddress">Where the call came from, for the audit trail.</param>
public sealed record OfficerContext(string OfficerId, string Name, OfficerRole? Role, string CountyCode, string PeerAddress)
{
    public string RoleName => Role?.ToString().ToLowerInvariant() ?? "unknown";

    public static bool TryParseRole(string? text, out OfficerRole role)
    {
        role = default;
        var trimmed = text?.Trim() ?? "";
        return trimmed.Length > 0 && trimmed.All(char.IsAsciiLetter) && Enum.TryParse(trimmed, ignoreCase: true, out role);
    }
}

/// <param name="Reason">For a refusal: what the officer is told (Chinese).</param>
public sealed record Verdict(bool Allowed, string Reason)
{
    public static readonly Verdict Allow = new(true, "");
}

/// <summary>
/// Who may do what (pure: role × action × own/other county). Officers work only their own county's cases; each step
/// belongs to one role, as the bureau divides the work: 受理 by clerks, 核查 by inspectors, 审核 by reviewers,
/// 审批 and 延期 by approving heads. Anyone of the county may look at and claim its cases.
/// </summary>
public static class ReviewPolicy
{
    public static IReadOnlySet<OfficerRole> RolesFor(ReviewAction action) => action switch
    {
        ReviewAction.ViewQueue or ReviewAction.ViewCase or ReviewAction.Claim or ReviewAction.Release =>
            new HashSet<OfficerRole> { OfficerRole.Clerk, OfficerRole.Inspector, OfficerRole.Reviewer, OfficerRole.Head },
        ReviewAction.Accept or ReviewAction.NotAccept or ReviewAction.RequestCorrection => new HashSet<OfficerRole> { OfficerRole.Clerk },
        ReviewAction.RecordInspection => new HashSet<OfficerRole> { OfficerRole.Inspector },
        ReviewAction.RecordOpinion => new HashSet<OfficerRole> { OfficerRole.Reviewer },
        ReviewAction.Approve or ReviewAction.Deny or ReviewAction.Extend => new HashSet<OfficerRole> { OfficerRole.Head },
        _ => new HashSet<OfficerRole>(),
    };

    public static Verdict Decide(OfficerContext officer, ReviewAction action, string countyCode)
    {
        if (officer.Role is not { } role)
        {
            return new Verdict(false, "无法确认经办人的岗位，不能办理");
        }

        if (!string.Equals(officer.CountyCode, countyCode, StringComparison.Ordinal))
        {
            return new Verdict(false, "该案件不属于本县（市、区）局，无权查看或办理");
        }

        return RolesFor(action).Contains(role)
            ? Verdict.Allow
            : new Verdict(false, $"“{RoleLabel(role)}”岗位不能{ActionLabel(action)}");
    }

    public static string RoleLabel(OfficerRole role) => role switch
    {
        OfficerRole.Clerk => "受理",
        OfficerRole.Inspector => "核查",
        OfficerRole.Reviewer => "审核",
        OfficerRole.Head => "审批",
        _ => role.ToString(),
    };

    public static string ActionLabel(ReviewAction action) => action switch
    {
        ReviewAction.ViewQueue => "查看待办队列",
        ReviewAction.ViewCase => "查看案件",
        ReviewAction.Claim => "领取案件",
        ReviewAction.Release => "退回案件",
        ReviewAction.Accept => "受理",
        ReviewAction.NotAccept => "作出不予受理决定",
        ReviewAction.RequestCorrection => "出具补正材料告知书",
        ReviewAction.RecordInspection => "登记实地核查",
        ReviewAction.RecordOpinion => "提出审核意见",
        ReviewAction.Approve => "准予行政许可",
        ReviewAction.Deny => "作出不予行政许可决定",
        ReviewAction.Extend => "延长审批期限",
        _ => action.ToString(),
    };
}
