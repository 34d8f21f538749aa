namespace Permits.Contracts.Review;

/// <summary>受理: the bureau accepted the application; the 20-working-day decision clock starts the next day.</summary>
public sealed record ApplicationAccepted(
    Guid ApplicationId,
    Guid CaseId,
    string CountyCode,
    string DocumentNumber,
    string OfficerId,
    DateTimeOffset AcceptedAt,
    DateOnly DecisionDueBy,
    bool DueDateProvisional)
{
    /// <summary>
    /// The county's promised decision limit (承诺时限), shorter than the legal <see cref="DecisionDueBy"/>; null when the
    /// county promises nothing shorter. Breaking it is not a legal breach.
    /// </summary>
    public DateOnly? PromisedDecisionDueBy { get; init; }
}
