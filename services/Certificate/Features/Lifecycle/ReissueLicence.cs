using Permits.Contracts.Certificate;
using Permits.Contracts.Certificate.V1;
using Permits.Shared.Domain;

namespace Permits.Certificate.Features.Lifecycle;

/// <summary>补办: the same version again as a numbered duplicate (the lost copy is superseded), in whatever state it is in.</summary>
public static class ReissueLicence
{
    public static LifecyclePlan Requested(ReissueCertificateRequest request, StepInput input) => Plan(input.Reason(request.Reason));

    public static LifecyclePlan Plan(string reason) => new(
        LifecycleSteps.Reissue,
        row => row.Status == CertificateStatus.Revoked ? "已失效的许可证不能补办" : null,
        (row, _) => row with { DuplicateCount = row.DuplicateCount + 1 },
        row => new StepRecord(
            LicenceHistoryRecords.Reissued, CertificateDisclosureKinds.Reissued, reason,
            $"补办烟草专卖零售许可证 {row.LicenceNumber}（第 {row.Version} 版补办证 第 {row.DuplicateCount} 次）",
            row.Status == CertificateStatus.Suspended ? LicensingDisclosure.Suspended : LicensingDisclosure.InForce),
        (session, row, cause, now) => session.PublishAsync(new CertificateReissued(
            row.Id, row.ApplicationId, row.CountyCode, row.LicenceNumber, row.Version, row.DuplicateCount, reason, cause.OfficerId, now)
        {
            RequestApplicationId = cause.RequestApplicationId,
        }));
}
