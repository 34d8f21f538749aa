namespace Permits.Contracts.Review;

/// <summary>不予受理决定书: the bureau refused to accept the application, with written reasons.</summary>
public sealed record ApplicationNotAccepted(
    Guid ApplicationId,
    Guid CaseId,
    string CountyCode,
    string DocumentNumber,
    IReadOnlyList<string> Reasons,
    string RemedyNotice,
    string OfficerId,
    DateTimeOffset DecidedAt)
{
    /// <summary>
    /// The legal grounds chosen from the county's list; <see cref="Reasons"/> keeps the officer's free text. Empty
    /// for refusals decided before grounds were structured.
    /// </summary>
    public IReadOnlyList<RefusalGround> Grounds { get; init; } = [];
}
