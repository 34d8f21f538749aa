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
    bool DueDateProvisional);
