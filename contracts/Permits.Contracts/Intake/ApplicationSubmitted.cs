namespace Permits.Contracts.Intake;

/// <summary>
/// A shopkeeper submitted an application. Carries what review and issuing need, so no service reads Intake's
/// database; the ID number and other personal data that only Intake needs stay there.
/// </summary>
public sealed record ApplicationSubmitted(
    Guid ApplicationId,
    string ApplicationNumber,
    string CountyCode,
    string RequestType,
    string HolderType,
    string BusinessName,
    string? CreditCode,
    string ResponsiblePerson,
    string PremisesAddress,
    decimal FloorArea,
    DateOnly? LeaseEndDate,
    DeliveryChoice Delivery,
    DateTimeOffset SubmittedAt);
