namespace Permits.Contracts.Review;

/// <summary>准予行政许可: the approving head granted the licence. Carries the particulars the licence is issued with.</summary>
public sealed record LicenceApproved(
    Guid ApplicationId,
    Guid CaseId,
    string ApplicationNumber,
    string CountyCode,
    string HolderType,
    string BusinessName,
    string? CreditCode,
    string ResponsiblePerson,
    string PremisesAddress,
    DateOnly? LeaseEndDate,
    string DocumentNumber,
    string OfficerId,
    DateTimeOffset ApprovedAt,
    DateOnly ServiceDueBy);
