namespace Permits.Contracts.Review;

/// <summary>不予行政许可决定书: written reasons and the notice of the right to reconsideration (复议) or litigation (诉讼).</summary>
public sealed record LicenceDenied(
    Guid ApplicationId,
    Guid CaseId,
    string CountyCode,
    string DocumentNumber,
    IReadOnlyList<string> Reasons,
    string RemedyNotice,
    string OfficerId,
    DateTimeOffset DeniedAt,
    DateOnly ServiceDueBy);
