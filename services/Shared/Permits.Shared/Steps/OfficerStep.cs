using Permits.Shared.Security;

namespace Permits.Shared.Steps;

/// <summary>
/// One kind of step an officer takes: its code (as the audit records it), what it is called, and the roles that may
/// take it. Each service declares its steps once, e.g.
/// <c>new OfficerStep("Approve", "准予行政许可", [PermitsRoles.Head])</c>.
/// </summary>
public sealed record OfficerStep(string Code, string Label, IReadOnlyList<string> Roles);

/// <param name="Reason">For a refusal: what the officer is told (Chinese).</param>
public sealed record Verdict(bool Allowed, string Reason)
{
    public static readonly Verdict Allow = new(true, "");
}

/// <summary>
/// Who may take which step on what (pure): officers act only on their own county's cases, licences, shipments and
/// requests, and only in a role the step names. The one officer guard of every service.
/// </summary>
public static class OfficerGuard
{
    /// <param name="subject">What the step is on, for the refusal: 该案件, 该许可证, 该件, 该申请.</param>
    public static Verdict Decide(Officer officer, OfficerStep step, string countyCode, string subject = "该事项")
    {
        if (officer.Roles.Count == 0)
        {
            return new Verdict(false, "无法确认经办人的岗位，不能办理");
        }

        if (!officer.ActsIn(countyCode))
        {
            return new Verdict(false, $"{subject}不属于本县（市、区）局，无权查看或办理");
        }

        return step.Roles.Any(officer.HasRole) ? Verdict.Allow : new Verdict(false, RoleRefusal(step));
    }

    /// <summary>准予行政许可须由审批岗位办理.</summary>
    public static string RoleRefusal(OfficerStep step) =>
        $"{step.Label}须由{string.Join("或", step.Roles.Select(RoleLabel))}岗位办理";

    /// <summary>The Chinese name of a role: 受理, 核查, 审核, 审批, 政务公开.</summary>
    public static string RoleLabel(string role) => role switch
    {
        PermitsRoles.Clerk => "受理",
        PermitsRoles.Inspector => "核查",
        PermitsRoles.Reviewer => "审核",
        PermitsRoles.Head => "审批",
        PermitsRoles.DisclosureClerk => "政务公开",
        PermitsRoles.SystemAdmin => "系统管理员",
        PermitsRoles.Applicant => "申请人",
        PermitsRoles.Platform => "政务服务平台",
        _ => role,
    };
}
