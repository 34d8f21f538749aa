using System.Globalization;
using Permits.Contracts.Disclosure;
using Permits.Delivery.Courier;
using Permits.Shared.Domain;

namespace Permits.Delivery.Domain;

/// <summary>Which shipment, of which application and county: what every row a shipment step reads carries.</summary>
public class ShipmentKey
{
    public Guid Id { get; init; }
    public Guid ApplicationId { get; init; }
    public string ApplicationNumber { get; init; } = "";
    public string CountyCode { get; init; } = "";
}

/// <summary>
/// The disclosure records of a shipment's steps (送达 is part of the legal record): 申请编号 and 送达方式 through the
/// typed licensing builder, and what the step adds. Names of people are masked; the courier's own words stay out.
/// </summary>
public static class ShipmentRecords
{
    /// <summary>送达方式 values.</summary>
    public const string ByCourier = "邮寄送达";
    public const string AtHall = "窗口领取";

    /// <summary>申请编号 and 送达方式 of the shipment of <paramref name="applicationNumber"/>.</summary>
    public static LicensingDisclosure Fields(string applicationNumber, string method) =>
        LicensingDisclosure.ForCase(applicationNumber).With("送达方式", method);

    /// <summary>快递公司.</summary>
    public static LicensingDisclosure WithCourier(this LicensingDisclosure fields) => fields.With("快递公司", CourierCompany.Name);

    /// <summary>投递次数.</summary>
    public static LicensingDisclosure Attempt(this LicensingDisclosure fields, int attempt) =>
        fields.With("投递次数", attempt.ToString(CultureInfo.InvariantCulture));

    /// <summary>签收: who took the licence, masked.</summary>
    public static LicensingDisclosure SignedBy(this LicensingDisclosure fields, string signer) =>
        fields.With("签收", signer.Length > 0 ? PersonalData.MaskName(signer) : "未记录签收人");

    /// <summary>
    /// The record of step <paramref name="kind"/> of <paramref name="shipment"/>. A step that can happen more than once
    /// (a scan, a delivery attempt) names its <paramref name="occurrence"/>, so each is stored once; without one the
    /// record keeps the step's one id.
    /// </summary>
    public static DisclosureRecorded For(
        string kind, ShipmentKey shipment, County county, DateTimeOffset at, string summary, LicensingDisclosure fields,
        string? occurrence = null)
    {
        var record = Disclosures.For(kind, shipment.ApplicationId, shipment.ApplicationNumber, county, at, summary, fields.Fields);
        return occurrence is null
            ? record
            : record with { RecordId = DeterministicGuid.Create(shipment.ApplicationId, $"{kind}#{occurrence}") };
    }
}
