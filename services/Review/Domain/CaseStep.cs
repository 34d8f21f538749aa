using Permits.Shared.Security;

namespace Permits.Review.Domain;

/// <summary>
/// The work step of an open case: whose desk it is on. Computed from the stage and what is recorded (a 新办 needs
/// the site inspection before the opinion, <see cref="ReviewRequirements"/>) and stored in <c>review_cases.step</c>
/// by every step that changes it, so a queue filters in SQL. <see cref="Extension"/> is no stored step: it is the
/// head's view of the cases whose decision period an inspector or reviewer asked to extend.
/// </summary>
public static class CaseStep
{
    public const string Acceptance = "Acceptance";
    public const string Correction = "Correction";
    public const string Inspection = "Inspection";
    public const string Opinion = "Opinion";
    public const string Approval = "Approval";
    public const string Extension = "Extension";

    public static readonly IReadOnlyList<string> All = [Acceptance, Correction, Inspection, Opinion, Approval, Extension];

    /// <summary>The steps a case can be at (every one but <see cref="Extension"/>).</summary>
    public static readonly IReadOnlyList<string> Stored = [Acceptance, Correction, Inspection, Opinion, Approval];

    public static string Label(string step) => step switch
    {
        Acceptance => "待受理",
        Correction => "待补正",
        Inspection => "待核查",
        Opinion => "待审核",
        Approval => "待审批",
        Extension => "延期申请",
        _ => step,
    };

    public static bool IsKnown(string step) => All.Contains(step);

    /// <summary>The step of a case in <paramref name="stage"/> with what is recorded on it; null once decided.</summary>
    public static string? Of(string stage, string requestType, bool inspected, bool reviewed) => stage switch
    {
        CaseStage.AwaitingAcceptance => Acceptance,
        CaseStage.AwaitingCorrection => Correction,
        CaseStage.UnderReview when ReviewRequirements.For(requestType).Inspection && !inspected => Inspection,
        CaseStage.UnderReview when !reviewed => Opinion,
        CaseStage.UnderReview => Approval,
        _ => null,
    };

    public static string? Of(CaseRow row) => Of(row, row.Stage);

    /// <summary>The step of the case once it moves to <paramref name="stage"/>, the rest of it as <paramref name="row"/> has it.</summary>
    public static string? Of(CaseRow row, string stage) =>
        Of(stage, row.RequestType, !string.IsNullOrEmpty(row.InspectionDocument), !string.IsNullOrEmpty(row.OpinionDocument));

    /// <summary>The queue of a role: clerk 受理 and 补正, inspector 核查, reviewer 审核, head 审批 and extension requests.</summary>
    public static IReadOnlyList<string> ForRole(string role) => role switch
    {
        PermitsRoles.Clerk => [Acceptance, Correction],
        PermitsRoles.Inspector => [Inspection],
        PermitsRoles.Reviewer => [Opinion],
        PermitsRoles.Head => [Approval, Extension],
        _ => [],
    };

    /// <summary>The steps of every role the officer holds, in vocabulary order.</summary>
    public static IReadOnlyList<string> ForRoles(IEnumerable<string> roles)
    {
        var steps = roles.SelectMany(ForRole).ToHashSet(StringComparer.Ordinal);
        return All.Where(steps.Contains).ToList();
    }

    /// <summary>The roles whose work a case at <paramref name="step"/> is (who may take it over).</summary>
    public static IReadOnlyList<string> RolesFor(string? step) => step switch
    {
        Acceptance or Correction => [PermitsRoles.Clerk],
        Inspection => [PermitsRoles.Inspector],
        Opinion => [PermitsRoles.Reviewer],
        Approval or Extension => [PermitsRoles.Head],
        _ => [],
    };
}
