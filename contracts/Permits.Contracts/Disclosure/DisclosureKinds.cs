namespace Permits.Contracts.Disclosure;

/// <summary>
/// Every step a disclosure record can describe: the one catalogue platforms filter on. Services name these constants
/// rather than keeping their own strings.
/// </summary>
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
    public const string DecisionPeriodExtended = "decision-period-extended";
    public const string ReviewOpinionRecorded = "review-opinion-recorded";
    public const string CertificateChanged = "certificate-changed";
    public const string CertificateRenewed = "certificate-renewed";
    public const string CertificateSuspended = "certificate-suspended";
    public const string CertificateResumed = "certificate-resumed";
    public const string CertificateRevoked = "certificate-revoked";
    public const string CertificateReissued = "certificate-reissued";
    public const string ShipmentRedelivery = "shipment-redelivery";
    public const string ShipmentAwaitingPickup = "shipment-awaiting-pickup";
    public const string ShipmentPickedUp = "shipment-picked-up";
    public const string ShipmentInTransit = "shipment-in-transit";
    public const string ShipmentReturning = "shipment-returning";

    /// <summary>After a failed delivery, an officer had the licence come back to the service hall for pickup.</summary>
    public const string ShipmentSwitchedToPickup = "shipment-switched-to-pickup";
    public const string ApplicationWithdrawn = "application-withdrawn";

    /// <summary>A published record corrected: the new record carries the right fields and names the old one.</summary>
    public const string RecordCorrected = "record-corrected";

    /// <summary>A published record withdrawn (e.g. published in error): names the old one, carries no fields.</summary>
    public const string RecordWithdrawn = "record-withdrawn";

    /// <summary>Licensing decisions (双公示 行政许可): published within 7 working days of the decision.</summary>
    public static readonly IReadOnlySet<string> Decisions = new HashSet<string>(StringComparer.Ordinal)
    {
        LicenceApproved, LicenceDenied, CertificateIssued, CertificateSuspended, CertificateRevoked,
        CertificateChanged, CertificateRenewed, CertificateResumed, CertificateReissued,
    };

    /// <summary>Each kind's name in Chinese, as the public and platforms read it.</summary>
    public static readonly IReadOnlyDictionary<string, string> Labels = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [ApplicationSubmitted] = "收到申请",
        [ApplicationAccepted] = "受理",
        [ApplicationNotAccepted] = "不予受理",
        [CorrectionRequested] = "补正告知",
        [SiteInspected] = "实地核查",
        [ReviewOpinionRecorded] = "审核意见",
        [DecisionPeriodExtended] = "延长审批期限",
        [LicenceApproved] = "准予许可",
        [LicenceDenied] = "不予许可",
        [CertificateIssued] = "发证",
        [CertificateChanged] = "许可证变更",
        [CertificateRenewed] = "许可证延续",
        [CertificateSuspended] = "许可证停业",
        [CertificateResumed] = "恢复营业",
        [CertificateRevoked] = "许可证收回",
        [CertificateReissued] = "许可证补办",
        [ShipmentDispatched] = "证件寄出",
        [ShipmentPickedUp] = "快递揽收",
        [ShipmentInTransit] = "寄递途中",
        [ShipmentReturning] = "退回途中",
        [ShipmentSwitchedToPickup] = "改为窗口领取",
        [ShipmentRedelivery] = "再次投递",
        [ShipmentAwaitingPickup] = "待窗口领取",
        [ShipmentDelivered] = "送达",
        [DeliveryFailed] = "投递失败",
        [ApplicationWithdrawn] = "撤回申请",
        [RecordCorrected] = "更正",
        [RecordWithdrawn] = "撤回公开",
    };
}
