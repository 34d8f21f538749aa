using Permits.Certificate.Signing;
using Permits.Contracts.Disclosure;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Steps;

namespace Permits.Certificate.Features.Lifecycle;

/// <summary>
/// Applies a lifecycle step (<see cref="LifecyclePlan"/>) to an issued licence, inside the caller's transaction. 变更 and
/// 延续 issue a new version (same number); 停业 suspends; 恢复营业 restores; 歇业 and 注销 revoke for good; 补办 reissues
/// the same version as a numbered duplicate. The step checks the current state, changes the row only if nobody else
/// changed it meanwhile (revision), and writes its event, its history row and its disclosure record in the same
/// transaction.
/// <para>
/// Three ways in: an officer directly (<see cref="OfficerLifecycle"/>), an approved application
/// (<see cref="ApprovedRequests"/>) and a scheduled 停业 whose day has come (<see cref="ScheduledSuspensions"/>).
/// </para>
/// </summary>
public sealed class LicenceLifecycle(CountyDirectory counties, LicenceSigner signer, TimeProvider time)
{
    private const string UpdateSql = """
        UPDATE certificates SET
            holder_name = @HolderName, responsible_person = @ResponsiblePerson, premises_address = @PremisesAddress,
            valid_to = @ValidTo, issued_at = @IssuedAt, status = @Status, version = @Version, elicence_id = @ElicenceId,
            key_id = @KeyId, token = @Token, duplicate_count = @DuplicateCount, revision = @NextRevision,
            status_reason = @StatusReason, status_changed_at = @ChangedAt
        WHERE id = @Id AND revision = @Revision
        """;

    /// <summary>
    /// Takes the step on <paramref name="row"/> (as read in <paramref name="session"/>): FAILED_PRECONDITION when its state
    /// does not allow it, ABORTED when someone changed it since. Returns the licence as it now is, with its record.
    /// </summary>
    public async Task<(CertificateRow Licence, StepRecord Record)> ApplyAsync(
        DbSession session, CertificateRow row, LifecyclePlan plan, StepCause cause)
    {
        if (plan.Refusal(row) is { } refusal)
        {
            throw StepRunner.Precondition(refusal);
        }

        var now = time.GetUtcNow();
        var next = plan.Change(row, now);
        if (next.Version != row.Version || next.DuplicateCount != row.DuplicateCount)
        {
            next = Sign(next);
        }

        next = next with { Revision = row.Revision + 1 };
        StepRunner.EnsureUpdated(
            await session.ExecuteAsync(UpdateSql, new
            {
                next.Id,
                next.HolderName,
                next.ResponsiblePerson,
                next.PremisesAddress,
                next.ValidTo,
                next.IssuedAt,
                next.Status,
                next.Version,
                next.ElicenceId,
                next.KeyId,
                next.Token,
                next.DuplicateCount,
                NextRevision = next.Revision,
                next.StatusReason,
                ChangedAt = now,
                row.Revision,
            }),
            "该许可证刚被他人修改，请刷新后重试");

        var record = plan.Record(next);
        await LicenceHistoryRecords.RecordAsync(session, next, next.Revision, record.HistoryKind, record.Reason, cause.OfficerId, now);
        await plan.Announce(session, next, cause, now);
        var county = counties.Get(next.CountyCode);
        await session.DiscloseAsync(new DisclosureRecorded(
            DeterministicGuid.Create(next.ApplicationId, record.DisclosureKind, next.Revision),
            record.DisclosureKind,
            next.ApplicationId,
            next.ApplicationNumber,
            county.Code,
            county.Authority,
            now,
            $"{county.Authority}{record.Summary}",
            next.DisclosedFields(county, record.DisclosedStatus)));
        return (next, record);
    }

    /// <summary>A new version or duplicate is a new paper licence: its own e-licence id and signed token.</summary>
    private CertificateRow Sign(CertificateRow next)
    {
        var elicenceId = signer.ElicenceIdOf(next.CountyCode, next.LicenceNumber, next.Version);
        var (token, keyId) = signer.SignToken(next, elicenceId);
        return next with { ElicenceId = elicenceId, KeyId = keyId, Token = token };
    }
}
