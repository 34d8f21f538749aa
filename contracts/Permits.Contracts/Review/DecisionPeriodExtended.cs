namespace Permits.Contracts.Review;

/// <summary>延长审批期限告知书: the approving head extended the decision period by 10 working days.</summary>
public sealed record DecisionPeriodExtended(
    Guid ApplicationId,
    Guid CaseId,
    string CountyCode,
    string DocumentNumber,
    string Reason,
    string OfficerId,
    DateTimeOffset ExtendedAt,
    DateOnly DecisionDueBy,
    bool DueDateProvisional);
