namespace Permits.Contracts.Intake;

/// <summary>
/// A shopkeeper submitted an application. Carries what review and issuing need, so no service reads Intake's
/// database; the ID number and other personal data that only Intake needs stay there. A field the county's form
/// does not ask for that request type comes empty ("", 0 or null).
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
    DateTimeOffset SubmittedAt)
{
    /// <summary>The licence the request concerns (12 digits); null for 新办.</summary>
    public string? LicenceNumber { get; init; }

    /// <summary>停业 only: the first and last day of the suspension.</summary>
    public DateOnly? SuspendFrom { get; init; }

    public DateOnly? SuspendUntil { get; init; }

    /// <summary>变更 only: what changed (BusinessName, ResponsiblePerson, PremisesAddressName, Other).</summary>
    public IReadOnlyList<string>? ChangeItems { get; init; }

    /// <summary>
    /// The SHA-256 digest Certificate keeps of the 负责人's 身份证号 (Identifiers.HolderIdDigest), so a later request
    /// on the licence can be matched to its holder without the number leaving Intake; null when none was given.
    /// </summary>
    public string? HolderIdDigest { get; init; }

    /// <summary>
    /// Requests on a licence only: how Certificate matched the applicant to the licence's holder at submission,
    /// <c>CreditCode</c> (统一社会信用代码) or <c>IdNumber</c> (the 负责人's 身份证号); null for 新办 and for requests
    /// submitted before the check existed (never checked).
    /// </summary>
    public string? HolderMatch { get; init; }

    /// <summary>
    /// The applicant agreed at submission that formal documents may be served electronically (电子送达): opening one
    /// in the Portal then counts as its service. False: documents are served by post or at the hall.
    /// </summary>
    public bool ElectronicServiceConsent { get; init; }

    /// <summary>
    /// 变更 only: the day the change took effect, when the applicant gave it. A request filed more than 30 days after
    /// it is accepted all the same and marked late on the case.
    /// </summary>
    public DateOnly? ChangedOn { get; init; }
}
