using Permits.Contracts.Certificate;
using Permits.Contracts.Certificate.V1;
using Permits.Shared.Domain;

namespace Permits.Certificate.Features.Lifecycle;

/// <summary>停业: the licence is suspended until 恢复营业.</summary>
public static class SuspendLicence
{
    public static LifecyclePlan Requested(SuspendCertificateRequest request, StepInput input) => Plan(input.Reason(request.Reason));

    /// <summary>
    /// 停业 an application asked for and Review approved, with the period asked for in the reason; applied on approval
    /// or, when the first day is still to come, by the suspension worker on that day.
    /// </summary>
    public static LifecyclePlan Approved(string documentNumber, DateOnly? from, DateOnly? until)
    {
        var period = (from, until) switch
        {
            ({ } f, { } u) => $"，停业期限 {ChinaTime.Text(f)} 至 {ChinaTime.Text(u)}",
            ({ } f, null) => $"，停业自 {ChinaTime.Text(f)} 起",
            _ => "",
        };
        return Plan(LifecycleSteps.Decision(documentNumber) + period, period);
    }

    private static LifecyclePlan Plan(string reason, string period = "") => new(
        LifecycleSteps.Suspend,
        LifecycleSteps.RequireValid,
        (row, _) => row with { Status = CertificateStatus.Suspended, StatusReason = reason },
        row => new StepRecord(
            LicenceHistoryRecords.Suspended, CertificateDisclosureKinds.Suspended, reason,
            $"烟草专卖零售许可证 {row.LicenceNumber} 停业{period}", LicensingDisclosure.Suspended),
        (session, row, cause, now) => session.PublishAsync(new CertificateSuspended(
            row.Id, row.ApplicationId, row.CountyCode, row.LicenceNumber, row.Version, reason, cause.OfficerId, now)
        {
            RequestApplicationId = cause.RequestApplicationId,
        }));
}
