using Permits.Contracts.Disclosure;

namespace Permits.Shared.Domain;

/// <summary>Builds the disclosure record for one step of one case; the record id is stable per (case, step).</summary>
public static class Disclosures
{
    public const string Matter = "烟草专卖零售许可证核发";

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
}
