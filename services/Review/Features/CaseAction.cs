using Dapper;
using Grpc.Core;
using Permits.Contracts.Review.V1;
using Permits.Review.Domain;
using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Review.Features;

/// <summary>
/// What every officer action shares: a valid request, an officer allowed to act on this case (refusals audited),
/// a case in an expected stage, and an optimistic version check, so two officers acting at once cannot both succeed.
/// </summary>
public sealed class CaseAction(ServiceDatabase<ReviewModule> database, AuditTrail audit, TimeProvider time)
{
    private const string LoadSql = $"SELECT {CaseRow.Columns} FROM review_cases WHERE id = @Id";

    private const string CountySql = "SELECT county_code FROM review_cases WHERE id = @Id";

    private const string ClearClaimSql = "UPDATE review_cases SET claimed_by = NULL, claim_expires_at = NULL WHERE id = @Id";


    /// <summary>
    /// Whether the officer may take <paramref name="action"/> on the case at all (its county, their role), without
    /// auditing: a check that asks another service runs only then, so permission is decided before such validation
    /// (<see cref="RunAsync"/> decides again, and audits a refusal).
    /// </summary>
    public async Task<bool> MayAsync(OfficerContext officer, Guid caseId, ReviewAction action, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var county = await Dapper.SqlMapper.QuerySingleOrDefaultAsync<string>(connection, CountySql, new { Id = caseId });
        return county is not null && ReviewPolicy.Decide(officer, action, county).Allowed;
    }

    public static Guid Validate(CaseActionRequest? request, FieldErrors errors, string prefix = "")
    {
        request ??= new CaseActionRequest();
        if (!Guid.TryParse(request.CaseId, out var caseId))
        {
            errors.Add(prefix + "case_id", "请提供有效的案件 ID");
        }

        if (request.Note.Length > 1000)
        {
            errors.Add(prefix + "note", "意见不能超过 1000 个字");
        }

        return caseId;
    }

    /// <summary>
    /// Permission before validation: a request with field errors about a case the officer may not act on is refused
    /// (and audited) as PERMISSION_DENIED, so another county's officer cannot probe what a case would accept.
    /// Without a readable case id, or for a case that does not exist, the field errors are the answer.
    /// </summary>
    public async Task ThrowIfInvalidAsync(
        OfficerContext officer, Guid caseId, ReviewAction action, FieldErrors errors, CancellationToken cancellationToken)
    {
        if (!errors.Any)
        {
            return;
        }

        if (caseId != Guid.Empty)
        {
            string? county;
            await using (var connection = await database.OpenAsync(cancellationToken))
            {
                county = await connection.QuerySingleOrDefaultAsync<string>(CountySql, new { Id = caseId });
            }

            if (county is not null && ReviewPolicy.Decide(officer, action, county) is { Allowed: false } verdict)
            {
                await audit.RefusedAsync(officer, action, caseId, county, verdict.Reason);
                throw new RpcException(new Status(StatusCode.PermissionDenied, verdict.Reason));
            }
        }

        errors.ThrowIfAny();
    }

    /// <summary>
    /// Loads the case, checks the officer may <paramref name="action"/> it and that it is in one of
    /// <paramref name="stages"/>, runs <paramref name="body"/> (which returns what the audit trail records), and
    /// commits: the case as this transaction left it is the answer. A step is refused while another officer's claim
    /// runs, and ends the caller's claim.
    /// </summary>
    public async Task<Case> RunAsync(
        OfficerContext officer, Guid caseId, ReviewAction action, IReadOnlyCollection<string> stages,
        Func<DbSession, CaseRow, Task<string>> body, CancellationToken cancellationToken, bool checkClaim = true)
    {
        Verdict verdict;
        string caseCounty;
        await using (var session = await database.BeginAsync(cancellationToken))
        {
            var row = await session.QuerySingleOrDefaultAsync<CaseRow>(LoadSql, new { Id = caseId })
                ?? throw new RpcException(new Status(StatusCode.NotFound, "未找到该案件"));
            verdict = ReviewPolicy.Decide(officer, action, row.CountyCode);
            caseCounty = row.CountyCode;
            if (verdict.Allowed)
            {
                if (!stages.Contains(row.Stage))
                {
                    throw new RpcException(new Status(StatusCode.FailedPrecondition,
                        $"案件当前环节为“{CaseStage.Label(row.Stage)}”，不能{ReviewPolicy.ActionLabel(action)}"));
                }

                if (checkClaim && row.ClaimedBy is { } holder && holder != officer.OfficerId && row.ClaimExpiresAt > time.GetUtcNow())
                {
                    throw new RpcException(new Status(StatusCode.FailedPrecondition, $"案件已由 {holder} 领取办理，请等待其完成或退回"));
                }

                var detail = await body(session, row);
                if (checkClaim)
                {
                    // A step done hands the case on to the next role: the claim ends with it.
                    await session.ExecuteAsync(ClearClaimSql, new { Id = caseId });
                }

                await audit.RecordAsync(session, officer, action, caseId, row.CountyCode, detail);
                var updated = await ReloadAsync(session, caseId);
                await session.CommitAsync(cancellationToken);
                return CaseQueries.ToMessage(updated);
            }
        }

        // Refused: the session is gone (SQLite has one writer), so the refusal is written on its own.
        await audit.RefusedAsync(officer, action, caseId, caseCounty, verdict.Reason);
        throw new RpcException(new Status(StatusCode.PermissionDenied, verdict.Reason));
    }

    /// <summary>The case as this transaction left it: what the officer's action answers with.</summary>
    public static async Task<CaseRow> ReloadAsync(DbSession session, Guid caseId) =>
        await session.QuerySingleOrDefaultAsync<CaseRow>(LoadSql, new { Id = caseId })
        ?? throw new InvalidOperationException($"Case {caseId} vanished inside its own transaction.");

    /// <summary>Fails with ABORTED when someone else changed the case since it was read.</summary>
    public static void EnsureUpdated(int rows)
    {
        if (rows != 1)
        {
            throw new RpcException(new Status(StatusCode.Aborted, "案件已被他人处理，请刷新后重试"));
        }
    }
}
