namespace Permits.Contracts.Disclosure;

/// <summary>The steps a disclosure record can describe, in the order a case normally takes them.</summary>
public static class DisclosureKinds
{
    public const string ApplicationSubmitted = "application-submitted";
    public const string ApplicationAccepted = "application-accepted";
    public const string LicenceApproved = "licence-approved";
    public const string CertificateIssued = "certificate-issued";
    public const string ShipmentDispatched = "shipment-dispatched";
    public const string ShipmentDelivered = "shipment-delivered";
    public const string DeliveryFailed = "delivery-failed";

    public const string ApplicationNotAccepted = "application-not-accepted";
    public const string CorrectionRequested = "correction-requested";
    public const string SiteInspected = "site-inspected";
    public const string LicenceDenied = "licence-denied";
    public const string CertificateSuspended = "certificate-suspended";
    public const string CertificateRevoked = "certificate-revoked";
    public const string ApplicationWithdrawn = "application-withdrawn";

    /// <summary>A published record corrected: the new record carries the right fields and names the old one.</summary>
    public const string RecordCorrected = "record-corrected";

    /// <summary>A published record withdrawn (e.g. published in error): names the old one, carries no fields.</summary>
    public const string RecordWithdrawn = "record-withdrawn";

    /// <summary>Licensing decisions (双公示 行政许可): published within 7 working days of the decision.</summary>
    public static readonly IReadOnlySet<string> Decisions = new HashSet<string>(StringComparer.Ordinal)
    {
        LicenceApproved, LicenceDenied, CertificateIssued, CertificateSuspended, CertificateRevoked,
        Certificate.CertificateDisclosureKinds.Changed, Certificate.CertificateDisclosureKinds.Renewed,
        Certificate.CertificateDisclosureKinds.Resumed, Certificate.CertificateDisclosureKinds.Reissued,
    };
}
