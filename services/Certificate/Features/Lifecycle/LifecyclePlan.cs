using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Steps;

namespace Permits.Certificate.Features.Lifecycle;

/// <summary>
/// One lifecycle step on an issued licence, whoever causes it (an officer directly, an approved application, a
/// scheduled suspension): when it may be taken, what it makes of the licence, what the history and the disclosure
/// record say, and the event it announces. <see cref="LicenceLifecycle"/> applies it; a new version or duplicate is
/// signed there.
/// </summary>
/// <param name="Refusal">Why the licence's state does not allow the step, or null.</param>
/// <param name="Change">The licence after the step, at the moment given.</param>
/// <param name="Record">What the history and the disclosure record say of the changed licence.</param>
/// <param name="Announce">Publishes the step's own event for the changed licence, in the step's transaction.</param>
public sealed record LifecyclePlan(
    OfficerStep Step,
    Func<CertificateRow, string?> Refusal,
    Func<CertificateRow, DateTimeOffset, CertificateRow> Change,
    Func<CertificateRow, StepRecord> Record,
    Func<DbSession, CertificateRow, StepCause, DateTimeOffset, Task> Announce);

/// <param name="HistoryKind">A <see cref="LicenceHistoryRecords"/> kind.</param>
/// <param name="DisclosureKind">A <c>CertificateDisclosureKinds</c> kind.</param>
/// <param name="Summary">What the bureau did, after its name: 烟草专卖零售许可证 … 停业.</param>
/// <param name="DisclosedStatus">当前状态 (a <see cref="LicensingDisclosure"/> status word).</param>
public sealed record StepRecord(string HistoryKind, string DisclosureKind, string? Reason, string Summary, string DisclosedStatus);

/// <summary>Who takes a step: an officer directly, or the officer who approved <paramref name="RequestApplicationId"/>.</summary>
public sealed record StepCause(string OfficerId, Guid? RequestApplicationId = null);
