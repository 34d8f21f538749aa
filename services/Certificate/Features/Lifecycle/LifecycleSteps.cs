using Permits.Contracts.Licensing;
using Permits.Shared.Security;
using Permits.Shared.Steps;

namespace Permits.Certificate.Features.Lifecycle;

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
        StepRunner.Require(row.Version < 999, "该许可证版本号已用尽（999），请换发新证");
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
