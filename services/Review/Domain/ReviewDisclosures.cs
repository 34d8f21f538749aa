using Permits.Contracts.Disclosure;
using Permits.Shared.Domain;

namespace Permits.Review.Domain;

/// <summary>Disclosure kinds of the review steps not in the happy path, and the record builder for repeatable steps.</summary>
public static class ReviewDisclosures
{
    public const string ApplicationNotAccepted = DisclosureKinds.ApplicationNotAccepted;
    public const string CorrectionRequested = DisclosureKinds.CorrectionRequested;
    public const string LicenceDenied = DisclosureKinds.LicenceDenied;
    public const string DecisionPeriodExtended = DisclosureKinds.DecisionPeriodExtended;
    public const string SiteInspected = DisclosureKinds.SiteInspected;
    public const string ReviewOpinionRecorded = DisclosureKinds.ReviewOpinionRecorded;

    /// <summary>
    /// 复议/诉讼 notice carried by every refusal (行政许可法 Art. 38), naming the bodies and the limits: reconsideration
    /// within 60 days (行政复议法 Art. 20) to the people's government at the same level or the superior tobacco monopoly
    /// bureau; litigation within 6 months (行政诉讼法 Art. 46) before the people's court.
    /// </summary>
    public static string RemedyNotice(County county) =>
        $"如不服本决定，可以自收到本决定书之日起六十日内向{county.Name}人民政府或者{county.Authority}的上一级烟草专卖局申请行政复议，" +
        "也可以自收到本决定书之日起六个月内依法向人民法院提起行政诉讼。";

    /// <summary>A record whose id is stable per (application, kind, document), so a step that repeats is stored each time.</summary>
    public static DisclosureRecorded For(
        string kind, string document, CaseRow row, County county, DateTimeOffset at, string summary,
        IReadOnlyDictionary<string, string> fields) =>
        Disclosures.For(kind, row.ApplicationId, row.ApplicationNumber, county, at, summary, fields) with
        {
            RecordId = DeterministicGuid.Create(row.ApplicationId, $"{kind}:{document}"),
        };

}
