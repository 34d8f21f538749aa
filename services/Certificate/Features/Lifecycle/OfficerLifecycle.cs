using Permits.Shared.Domain;
using Permits.Shared.Steps;
using CertificateMessage = Permits.Contracts.Certificate.V1.Certificate;

namespace Permits.Certificate.Features.Lifecycle;

/// <summary>
/// An officer takes a lifecycle step directly, through the shared step mechanism: an officer of the licence's county in a
/// role the step names (<see cref="LifecycleSteps"/>: 变更, 延续, 歇业 and 注销 are licensing decisions for the 审批
/// role, 停业, 恢复营业 and 补办 may also be done by 受理), permission before validation, the step and its audit line in
/// one transaction, a refusal audited. The request's officer_id is ignored: who acts comes from the token.
/// </summary>
public sealed class OfficerLifecycle(StepRunner<CertificateModule> steps, LicenceLifecycle lifecycle, TimeProvider time)
{
    /// <summary>Builds the step from the request (adding its field errors to the input) and takes it on the licence.</summary>
    public async Task<CertificateMessage> TakeAsync(
        Officer officer, string licenceNumber, Func<StepInput, LifecyclePlan> requested, CancellationToken cancellationToken)
    {
        var input = new StepInput(time.Today());
        var number = CertificateRecords.CheckLicenceNumber(licenceNumber, input.Errors);
        var plan = requested(input);
        var target = StepTarget<CertificateRow>.Sql(
            number, "该许可证", CertificateRecords.NotFound(number), CertificateRecords.ByNumberSql,
            CertificateRecords.CountyByNumberSql, new { LicenceNumber = number }, row => row.CountyCode);
        await steps.ThrowIfInvalidAsync(officer, plan.Step, target, input.Errors, cancellationToken);
        return await steps.RunAsync(officer, plan.Step, target, async (session, row) =>
        {
            var (licence, record) = await lifecycle.ApplyAsync(session, row, plan, new StepCause(officer.Id));
            var detail = record.Reason is { Length: > 0 } reason ? $"{record.Summary}：{reason}" : record.Summary;
            return new StepResult<CertificateMessage>(licence.ToMessage(), detail);
        }, cancellationToken);
    }
}
