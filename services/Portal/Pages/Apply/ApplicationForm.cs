using Permits.Contracts.Intake.V1;
using ProtoDeliveryMethod = Permits.Contracts.Intake.V1.DeliveryMethod;
using ProtoHolderType = Permits.Contracts.Intake.V1.HolderType;
using ProtoPremisesTenure = Permits.Contracts.Intake.V1.PremisesTenure;
using RequestTypes = Permits.Contracts.Licensing.RequestTypes;

namespace Permits.Portal.Pages.Apply;

/// <summary>
/// The application form exactly as typed: strings, so a re-rendered form shows what the applicant entered, not what
/// parsed. Intake checks everything; this only maps choices to the proto's enums.
/// </summary>
public sealed class ApplicationForm
{
    /// <summary>Chosen once per form and posted back with it, so a double submit or a retry creates one application.</summary>
    public string? ClientRequestId { get; set; }

    /// <summary>The draft this form was saved as (草稿), posted back so saving again updates it.</summary>
    public string? DraftId { get; set; }

    /// <summary>Set when the form answers a correction notice (补正) of this application.</summary>
    public string? ResubmitId { get; set; }

    public string? CountyCode { get; set; }

    /// <summary>The licence held now; for every request type but 新办.</summary>
    public string? LicenceNumber { get; set; }

    /// <summary>Its expiry, yyyy-MM-dd; for 延续.</summary>
    public string? LicenceValidTo { get; set; }

    /// <summary>The request-type code (New, Change, …: the catalogue's).</summary>
    public string? RequestType { get; set; }

    /// <summary>停业: the first and last day of the suspension, yyyy-MM-dd.</summary>
    public string? SuspendFrom { get; set; }

    public string? SuspendUntil { get; set; }

    /// <summary>变更: what changed, by ChangeItem member names (checkboxes).</summary>
    public List<string> ChangeItems { get; set; } = [];

    /// <summary>变更: the day the change took effect, yyyy-MM-dd.</summary>
    public string? ChangedOn { get; set; }

    /// <summary>同意电子送达: unticked unless the applicant ticks it.</summary>
    public bool ElectronicServiceConsent { get; set; }

    public string? HolderType { get; set; }

    public string? BusinessName { get; set; }

    public string? CreditCode { get; set; }

    public string? ResponsiblePerson { get; set; }

    public string? IdNumber { get; set; }

    public string? PremisesAddress { get; set; }

    public string? FloorArea { get; set; }

    public string? PremisesTenure { get; set; }

    public string? LeaseEndDate { get; set; }

    public string? ContactPhone { get; set; }

    public string? DeliveryMethod { get; set; }

    public string? RecipientName { get; set; }

    public string? RecipientPhone { get; set; }

    public string? DeliveryAddress { get; set; }

    public static ApplicationForm Blank() => new()
    {
        ClientRequestId = Guid.NewGuid().ToString("N"),
        RequestType = RequestTypes.New,
    };

    public SubmitApplicationRequest ToRequest()
    {
        var request = Fields();
        request.ChangeItems.AddRange(ChangeItems.Select(Choice<ChangeItem>));
        return request;
    }

    private SubmitApplicationRequest Fields() => new()
    {
        ClientRequestId = ClientRequestId ?? "",
        DraftId = DraftId ?? "",
        CountyCode = CountyCode ?? "",
        LicenceNumber = LicenceNumber ?? "",
        LicenceValidTo = LicenceValidTo ?? "",
        SuspendFrom = SuspendFrom ?? "",
        SuspendUntil = SuspendUntil ?? "",
        ChangedOn = ChangedOn ?? "",
        ElectronicServiceConsent = ElectronicServiceConsent,
        RequestType = RequestTypes.Proto(RequestType),
        HolderType = Choice<ProtoHolderType>(HolderType),
        BusinessName = BusinessName ?? "",
        CreditCode = CreditCode ?? "",
        ResponsiblePerson = ResponsiblePerson ?? "",
        IdNumber = IdNumber ?? "",
        PremisesAddress = PremisesAddress ?? "",
        FloorArea = FloorArea ?? "",
        PremisesTenure = Choice<ProtoPremisesTenure>(PremisesTenure),
        // Only meaningful for leased premises; a date left in the box after switching to 自有 is not sent.
        LeaseEndDate = PremisesTenure == nameof(ProtoPremisesTenure.Leased) ? LeaseEndDate ?? "" : "",
        ContactPhone = ContactPhone ?? "",
        Delivery = new DeliveryChoice
        {
            Method = Choice<ProtoDeliveryMethod>(DeliveryMethod),
            RecipientName = RecipientName ?? "",
            RecipientPhone = RecipientPhone ?? "",
            Address = DeliveryMethod == nameof(ProtoDeliveryMethod.Courier) ? DeliveryAddress ?? "" : "",
        },
    };

    /// <summary>A saved form (draft or as submitted) back in the boxes, exactly as it was typed.</summary>
    public static ApplicationForm From(SubmitApplicationRequest r) => new()
    {
        ClientRequestId = r.ClientRequestId.Length > 0 ? r.ClientRequestId : Guid.NewGuid().ToString("N"),
        DraftId = r.DraftId.Length > 0 ? r.DraftId : null,
        CountyCode = r.CountyCode,
        LicenceNumber = r.LicenceNumber,
        LicenceValidTo = r.LicenceValidTo,
        SuspendFrom = r.SuspendFrom,
        SuspendUntil = r.SuspendUntil,
        ChangedOn = r.ChangedOn,
        ElectronicServiceConsent = r.ElectronicServiceConsent,
        RequestType = RequestTypes.TryGet(r.RequestType, out var type) ? type.Code : null,
        HolderType = Name(r.HolderType),
        BusinessName = r.BusinessName,
        CreditCode = r.CreditCode,
        ResponsiblePerson = r.ResponsiblePerson,
        IdNumber = r.IdNumber,
        PremisesAddress = r.PremisesAddress,
        FloorArea = r.FloorArea,
        PremisesTenure = Name(r.PremisesTenure),
        LeaseEndDate = r.LeaseEndDate,
        ContactPhone = r.ContactPhone,
        DeliveryMethod = Name(r.Delivery?.Method ?? ProtoDeliveryMethod.Unspecified),
        RecipientName = r.Delivery?.RecipientName,
        RecipientPhone = r.Delivery?.RecipientPhone,
        DeliveryAddress = r.Delivery?.Address,
        ChangeItems = r.ChangeItems.Select(c => Name(c)).OfType<string>().ToList(),
    };

    private static string? Name<T>(T value)
        where T : struct, Enum =>
        Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture) == 0 ? null : value.ToString();

    /// <summary>A choice by its enum member name; anything else is "unspecified", which Intake reports on the field.</summary>
    private static T Choice<T>(string? name)
        where T : struct, Enum =>
        name is not null && Enum.GetNames<T>().Contains(name, StringComparer.Ordinal) ? Enum.Parse<T>(name) : default;
}
