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
    DateOnly ServiceDueBy)
{
    /// <summary>
    /// The legal grounds chosen from the county's list; <see cref="Reasons"/> keeps the officer's free text. Empty
    /// for refusals decided before grounds were structured.
    /// </summary>
    public IReadOnlyList<RefusalGround> Grounds { get; init; } = [];
}
