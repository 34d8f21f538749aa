using Permits.Contracts.Licensing;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Security;
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

/// <summary>The officer steps on a licence and the rules they share.</summary>
public static class LifecycleSteps
{
    /// <summary>Licensing decisions: 审批.</summary>
    private static readonly IReadOnlyList<string> DecisionRoles = [PermitsRoles.Head];

    /// <summary>Steps the counter (受理) handles as well.</summary>
    private static readonly IReadOnlyList<string> CounterRoles = [PermitsRoles.Clerk, PermitsRoles.Head];

    public static readonly OfficerStep Change = new(RequestTypes.Change, "变更", DecisionRoles);
    public static readonly OfficerStep Renew = new(RequestTypes.Renewal, "延续", DecisionRoles);
    public static readonly OfficerStep Suspend = new(RequestTypes.Suspend, "停业", CounterRoles);
    public static readonly OfficerStep Resume = new(RequestTypes.Resume, "恢复营业", CounterRoles);
    public static readonly OfficerStep Close = new(RequestTypes.Close, "歇业", DecisionRoles);
    public static readonly OfficerStep Cancel = new(RequestTypes.Cancel, "注销", DecisionRoles);
    public static readonly OfficerStep Reissue = new(RequestTypes.Reissue, "补办", CounterRoles);

    /// <summary>Most steps need a licence in force.</summary>
    public static string? RequireValid(CertificateRow row) => row.Status switch
    {
        CertificateStatus.Valid => null,
        CertificateStatus.Suspended => "该许可证停业中，请先恢复营业",
        _ => "该许可证已经失效",
    };

    /// <summary>The next version of the licence, valid again and not a duplicate (signed by <see cref="LicenceLifecycle"/>).</summary>
    public static CertificateRow NextVersion(CertificateRow row, DateTimeOffset now)
    {
        StepRunner<CertificateModule>.Require(row.Version < 999, "该许可证版本号已用尽（999），请换发新证");
        return row with
        {
            Version = row.Version + 1,
            Status = CertificateStatus.Valid,
            StatusReason = null,
            DuplicateCount = 0,
            IssuedAt = now,
        };
    }

    /// <summary>The decision an approved application carries, as the reason of the step it causes.</summary>
    public static string Decision(string documentNumber) => $"准予行政许可决定书 {documentNumber}";
}

/// <summary>What an officer's request gives a step: its field errors, checked before anything is read, and today (China time).</summary>
public sealed class StepInput(DateOnly today)
{
    public FieldErrors Errors { get; } = new();

    public DateOnly Today => today;

    /// <summary>A required reason of at most 150 characters.</summary>
    public string Reason(string text)
    {
        var reason = Text("reason", text, 150);
        if (reason.Length == 0)
        {
            Errors.Add("reason", "请填写原因");
        }

        return reason;
    }

    /// <summary>The text trimmed; a field error when it is longer than <paramref name="max"/>.</summary>
    public string Text(string field, string value, int max)
    {
        var text = value.Trim();
        if (text.Length > max)
        {
            Errors.Add(field, $"不能超过 {max} 个字");
        }

        return text;
    }
}
