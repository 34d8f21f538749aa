using Permits.Contracts.Disclosure;

namespace Permits.Shared.Domain;

/// <summary>Builds the disclosure record for one step of one case; the record id is stable per (case, step).</summary>
public static class Disclosures
{
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
