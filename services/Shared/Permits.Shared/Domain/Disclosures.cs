using Permits.Contracts.Disclosure;

namespace Permits.Shared.Domain;

/// <summary>Builds the disclosure record for one step of one case; the record id is stable per (case, step).</summary>
public static class Disclosures
{
    public const string Matter = "烟草专卖零售许可证核发";

    /// <summary>
    /// The matter (事项) a request type asks for, as the public reads it: 核发 for a new licence, otherwise the request
    /// itself (烟草专卖零售许可证停业, …). Request types by Intake's names (New, Change, Renewal, Suspend, …).
    /// </summary>
    public static string MatterFor(string requestType) => requestType switch
    {
        "Change" => "烟草专卖零售许可证变更",
        "Renewal" => "烟草专卖零售许可证延续",
        "Suspend" => "烟草专卖零售许可证停业",
        "Resume" => "烟草专卖零售许可证恢复营业",
        "Close" => "烟草专卖零售许可证歇业",
        "Reissue" => "烟草专卖零售许可证补办",
        "Cancel" => "烟草专卖零售许可证注销",
        _ => Matter,
    };

    public static DisclosureRecorded For(
        string kind,
        Guid applicationId,
        string applicationNumber,
        County county,
        DateTimeOffset occurredAt,
        string summary,
        IReadOnlyDictionary<string, string>? publicFields = null) =>
        new(
            DeterministicGuid.Create(applicationId, kind),
            kind,
            applicationId,
            applicationNumber,
            county.Code,
            county.Authority,
            occurredAt,
            summary,
            publicFields ?? new Dictionary<string, string>());

    /// <summary>
    /// A correction of a published record: a new record naming the old one, never an edit. The id is stable per
    /// (old record, correction number), so a retried correction is stored once.
    /// </summary>
    public static DisclosureRecorded Correct(
        DisclosureRecorded original,
        int correctionNumber,
        DateTimeOffset occurredAt,
        string reason,
        IReadOnlyDictionary<string, string> correctedFields) =>
        new(
            DeterministicGuid.Create(original.RecordId, $"{DisclosureKinds.RecordCorrected}-{correctionNumber}"),
            DisclosureKinds.RecordCorrected,
            original.ApplicationId,
            original.ApplicationNumber,
            original.CountyCode,
            original.Authority,
            occurredAt,
            reason,
            correctedFields,
            original.RecordId);

    /// <summary>Withdraws a published record (e.g. published in error): a new record naming the old one.</summary>
    public static DisclosureRecorded Withdraw(DisclosureRecorded original, DateTimeOffset occurredAt, string reason) =>
        new(
            DeterministicGuid.Create(original.RecordId, DisclosureKinds.RecordWithdrawn),
            DisclosureKinds.RecordWithdrawn,
            original.ApplicationId,
            original.ApplicationNumber,
            original.CountyCode,
            original.Authority,
            occurredAt,
            reason,
            new Dictionary<string, string>(),
            original.RecordId);
}
