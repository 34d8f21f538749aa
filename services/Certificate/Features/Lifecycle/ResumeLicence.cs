using Permits.Contracts.Certificate;
using Permits.Shared.Domain;

namespace Permits.Certificate.Features.Lifecycle;

/// <summary>恢复营业: a suspended licence is in force again.</summary>
public static class ResumeLicence
{
    /// <param name="reason">The approval's decision, or null when an officer resumes directly.</param>
    public static LifecyclePlan Plan(string? reason = null) => new(
        LifecycleSteps.Resume,
        row => row.Status == CertificateStatus.Suspended ? null : "只有停业中的许可证才能恢复营业",
        (row, _) => row with { Status = CertificateStatus.Valid, StatusReason = null },
        row => new StepRecord(
            LicenceHistoryRecords.Resumed, CertificateDisclosureKinds.Resumed, reason,
            $"烟草专卖零售许可证 {row.LicenceNumber} 恢复营业", LicensingDisclosure.InForce),
        (session, row, cause, now) => session.PublishAsync(new CertificateResumed(
            row.Id, row.ApplicationId, row.CountyCode, row.LicenceNumber, row.Version, cause.OfficerId, now)
        {
            RequestApplicationId = cause.RequestApplicationId,
        }));
}
