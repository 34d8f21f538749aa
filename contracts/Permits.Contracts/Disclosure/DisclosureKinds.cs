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
}
