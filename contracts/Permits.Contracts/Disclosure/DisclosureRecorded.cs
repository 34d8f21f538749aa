namespace Permits.Contracts.Disclosure;

/// <summary>
/// One step of one case, as the public may see it (政务公开). Every service emits one for each step it takes, in the
/// same transaction as the step itself. Personal data is already masked by the sender.
/// </summary>
/// <param name="RecordId">Stable per step, so a redelivered record is stored once.</param>
/// <param name="Kind">One of <see cref="DisclosureKinds"/>.</param>
/// <param name="PublicFields">Named public fields, e.g. the national 双公示 field codes (XK_XKBH …).</param>
/// <param name="Supersedes">
/// For a correction or withdrawal (<see cref="DisclosureKinds.RecordCorrected"/>, <see cref="DisclosureKinds.RecordWithdrawn"/>):
/// the record it replaces. Published records are never edited; the log keeps both.
/// </param>
public sealed record DisclosureRecorded(
    Guid RecordId,
    string Kind,
    Guid ApplicationId,
    string ApplicationNumber,
    string CountyCode,
    string Authority,
    DateTimeOffset OccurredAt,
    string Summary,
    IReadOnlyDictionary<string, string> PublicFields,
    Guid? Supersedes = null);
