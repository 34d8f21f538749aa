namespace Permits.Contracts.Review;

/// <summary>A legal deadline of a case is near (a warning to the county's officers, raised once per deadline).</summary>
/// <param name="Kind">Acceptance, Decision or Service.</param>
public sealed record DeadlineApproaching(
    Guid ApplicationId,
    Guid CaseId,
    string CountyCode,
    string Kind,
    DateOnly DueBy,
    bool DueDateProvisional,
    int WorkingDaysLeft,
    DateTimeOffset RaisedAt);
