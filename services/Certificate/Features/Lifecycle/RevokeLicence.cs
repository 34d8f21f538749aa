using Permits.Contracts.Certificate;
using Permits.Contracts.Certificate.V1;
using Permits.Shared.Domain;

namespace Permits.Certificate.Features.Lifecycle;

/// <summary>歇业 or 注销: the licence ends for good.</summary>
public static class RevokeLicence
{
    /// <summary>An officer's 歇业 or 注销: which of the two, and why.</summary>
    public static LifecyclePlan Requested(RevokeCertificateRequest request, StepInput input)
    {
        var reason = input.Reason(request.Reason);
        if (request.Kind is not (RevocationKind.Closed or RevocationKind.Cancelled))
        {
            input.Errors.Add("kind", "请选择歇业或注销");
        }

        return Plan(closed: request.Kind == RevocationKind.Closed, reason);
    }

    /// <param name="closed">歇业 (the business stops); otherwise 注销.</param>
    public static LifecyclePlan Plan(bool closed, string reason)
    {
        var (step, kind, history, status) = closed
            ? (LifecycleSteps.Close, "Closed", LicenceHistoryRecords.Closed, LicensingDisclosure.Closed)
            : (LifecycleSteps.Cancel, "Cancelled", LicenceHistoryRecords.Cancelled, LicensingDisclosure.Cancelled);
        return new LifecyclePlan(
            step,
            row => row.Status == CertificateStatus.Revoked ? "该许可证已经失效" : null,
            (row, _) => row with { Status = CertificateStatus.Revoked, StatusReason = $"{step.Label}：{reason}" },
            row => new StepRecord(
                history, CertificateDisclosureKinds.Revoked, reason, $"烟草专卖零售许可证 {row.LicenceNumber} {step.Label}", status),
            (session, row, cause, now) => session.PublishAsync(new CertificateRevoked(
                row.Id, row.ApplicationId, row.CountyCode, row.LicenceNumber, row.Version, kind, reason, cause.OfficerId, now)
            {
                RequestApplicationId = cause.RequestApplicationId,
            }));
    }
}
