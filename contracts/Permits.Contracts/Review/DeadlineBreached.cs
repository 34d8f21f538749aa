namespace Permits.Contracts.Review;

/// <summary>
/// A legal deadline of a case passed with the step undone (raised once per deadline by the durable timer). For the
/// acceptance deadline the application is then deemed accepted from receipt (<paramref name="DeemedAccepted"/>).
/// </summary>
/// <param name="Kind">Acceptance, Decision or Service.</param>
public sealed record DeadlineBreached(
    Guid ApplicationId,
    Guid CaseId,
    string CountyCode,
    string Kind,
    DateOnly DueBy,
    bool DueDateProvisional,
    bool DeemedAccepted,
    DateTimeOffset RaisedAt);
