using Permits.Contracts.Certificate;
using Permits.Contracts.Licensing;
using Permits.Contracts.Review;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Steps;

namespace Permits.Certificate.Features.Lifecycle;

/// <summary>
/// A shopkeeper applied for a step on their licence and Review approved: the approval is the authority, the approving
/// officer the actor, and a new version or duplicate is also announced as <see cref="CertificateIssued"/> for that
/// application, so Intake and Delivery follow it like a new licence.
/// </summary>
public sealed class ApprovedRequests(LicenceLifecycle lifecycle, TimeProvider time)
{
    private const string ScheduleSql = """
        UPDATE licence_requests SET suspension_scheduled_at = @Now, approving_officer_id = @OfficerId,
            decision_document = @DocumentNumber
        WHERE application_id = @ApplicationId AND suspension_scheduled_at IS NULL
        """;

    /// <summary>
    /// An approved application that is not 新办 (<paramref name="requestType"/> from <see cref="RequestTypes"/>), inside
    /// the consumer's transaction. The licence must exist in the approval's county and allow the step: otherwise this
    /// throws, the approval goes to the error queue for a person to look at, and nothing is issued (never a new number
    /// for a change).
    /// <para>
    /// 停业 with a first day (China time) still to come only schedules the suspension: the licence stays valid, and the
    /// suspension worker suspends it on that day (<see cref="ScheduledSuspensions"/>). The last day is recorded with the
    /// suspension; 恢复营业 is still the holder's application.
    /// </para>
    /// </summary>
    public async Task ApplyAsync(
        DbSession session, LicenceApproved approval, string requestType, string licenceNumber,
        DateOnly? suspendFrom = null, DateOnly? suspendUntil = null)
    {
        var decision = LifecycleSteps.Decision(approval.DocumentNumber);
        var plan = requestType switch
        {
            RequestTypes.Change => ChangeLicence.Plan(approval.BusinessName, approval.ResponsiblePerson, approval.PremisesAddress, decision),
            RequestTypes.Renewal => RenewLicence.Approved(approval),
            RequestTypes.Suspend => SuspendLicence.Approved(approval.DocumentNumber, suspendFrom, suspendUntil),
            RequestTypes.Resume => ResumeLicence.Plan(decision),
            RequestTypes.Close => RevokeLicence.Plan(closed: true, decision),
            RequestTypes.Cancel => RevokeLicence.Plan(closed: false, decision),
            RequestTypes.Reissue => ReissueLicence.Plan(decision),
            _ => throw new InvalidOperationException($"Request type {requestType} of application {approval.ApplicationNumber} is not a licence lifecycle step."),
        };
        var row = await CertificateRecords.LoadAsync(session, licenceNumber);
        if (row.CountyCode != approval.CountyCode)
        {
            throw new InvalidOperationException(
                $"Application {approval.ApplicationNumber} ({approval.CountyCode}) concerns licence {licenceNumber} of county {row.CountyCode}.");
        }

        if (requestType == RequestTypes.Suspend && suspendFrom is { } from && from > time.Today())
        {
            if (plan.Refusal(row) is { } refusal)
            {
                throw StepRunner.Precondition(refusal);
            }

            await session.ExecuteAsync(ScheduleSql, new
            {
                approval.ApplicationId,
                Now = time.GetUtcNow(),
                approval.OfficerId,
                approval.DocumentNumber,
            });
            return;
        }

        var (next, _) = await lifecycle.ApplyAsync(session, row, plan, new StepCause(approval.OfficerId, approval.ApplicationId));
        if (next.Version != row.Version || next.DuplicateCount != row.DuplicateCount)
        {
            // A new paper licence for this application: Intake shows it, Delivery sends it.
            await session.PublishAsync(new CertificateIssued(
                next.Id, approval.ApplicationId, approval.ApplicationNumber, next.CountyCode, next.LicenceNumber,
                next.HolderName, next.ValidFrom, next.ValidTo, next.IssuedAt)
            {
                ElicenceId = next.ElicenceId,
                Version = next.Version,
                Token = next.Token,
            });
        }
    }
}
