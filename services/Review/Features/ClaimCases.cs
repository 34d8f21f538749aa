using Dapper;
using Grpc.Core;
using Permits.Contracts.Review.V1;
using Permits.Review.Domain;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Steps;

namespace Permits.Review.Features;

/// <param name="Lease">Review:Claims:LeaseMinutes (default 30): an abandoned claim returns to the queue after it.</param>
public sealed record ClaimSettings(TimeSpan Lease);

/// <summary>
/// Claims lease a case to one officer. Safe across Review instances without in-process locks: a claim is a
/// conditional UPDATE (only if unclaimed, expired, or already the caller's), and taking the next case skips rows
/// other transactions hold (PostgreSQL SKIP LOCKED, SQL Server READPAST; SQLite has one writer anyway).
/// </summary>
public sealed class ClaimCases(
    ServiceDatabase<ReviewModule> database, CaseAction action, OfficerAudit<ReviewModule> audit, ClaimSettings settings, TimeProvider time)
{
    private const string ClaimSql = """
        UPDATE review_cases SET claimed_by = @OfficerId, claimed_by_name = @OfficerName, claim_expires_at = @Until, version = version + 1
        WHERE id = @Id AND (claimed_by IS NULL OR claimed_by = @OfficerId OR claim_expires_at < @Now)
        """;

    private const string ClaimSqlReturning = $"{ClaimSql}\n{CaseAction.ReturningCase}";

    private const string ClaimSqlSqlServer = $"{CaseAction.SqlServerBeforeUpdate}{ClaimSql}{CaseAction.SqlServerAfterUpdate}";

    private const string Release = """
        UPDATE review_cases SET claimed_by = NULL, claimed_by_name = NULL, claim_expires_at = NULL, version = version + 1
        WHERE id = @Id AND claimed_by = @OfficerId
        """;

    private const string ReleaseSqlReturning = $"{Release}\n{CaseAction.ReturningCase}";

    private const string ReleaseSqlSqlServer = $"{CaseAction.SqlServerBeforeUpdate}{Release}{CaseAction.SqlServerAfterUpdate}";

    private const string Unclaimed = """
        county_code = @CountyCode AND stage IN (@Stage0, @Stage1, @Stage2) AND clock_paused = 0
        AND (@RequestType = '' OR request_type = @RequestType)
        AND (claimed_by IS NULL OR claim_expires_at < @Now)
        """;

    private const string NextSqlPostgres = $"""
        UPDATE review_cases SET claimed_by = @OfficerId, claimed_by_name = @OfficerName, claim_expires_at = @Until, version = version + 1
        WHERE id = (
            SELECT id FROM review_cases WHERE {Unclaimed}
            ORDER BY due_by, received_at LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING id
        """;

    private const string NextSqlSqlServer = $"""
        WITH next AS (
            SELECT TOP (1) id, claimed_by, claimed_by_name, claim_expires_at, version FROM review_cases WITH (UPDLOCK, READPAST, ROWLOCK)
            WHERE {Unclaimed}
            ORDER BY due_by, received_at)
        UPDATE next SET claimed_by = @OfficerId, claimed_by_name = @OfficerName, claim_expires_at = @Until, version = version + 1
        OUTPUT inserted.id;
        """;

    private const string NextCandidatesSqlSqlite = $"""
        SELECT id FROM review_cases WHERE {Unclaimed}
        ORDER BY due_by, received_at LIMIT 20
        """;

    public async Task<Case> ClaimAsync(CaseActionRequest request, Officer officer, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var caseId = CaseAction.Validate(request, errors);
        await action.ThrowIfInvalidAsync(officer, caseId, ReviewSteps.Claim, errors, cancellationToken);
        return await action.RunAsync(officer, caseId, ReviewSteps.Claim, CaseStage.Open, async (session, row) =>
        {
            var now = time.GetUtcNow();
            var until = now + settings.Lease;
            var saved = await CaseAction.UpdateAsync(session, ClaimSqlReturning, ClaimSqlSqlServer,
                    new { Id = caseId, OfficerId = officer.Id, OfficerName = officer.Name, Until = until, Now = now })
                ?? throw new RpcException(new Status(StatusCode.AlreadyExists, $"案件已由 {row.ClaimedBy} 领取，请选择其他案件"));
            return (saved, $"领取，租期至 {until:O}");
        }, cancellationToken);
    }

    /// <summary>The most cases one batch claim takes.</summary>
    public const int MaxBatch = 50;

    /// <summary>
    /// Claims each case as <see cref="ClaimAsync"/> does (its own conditional UPDATE, transaction and audit line); a
    /// case refused says why in its outcome and does not fail the others.
    /// </summary>
    public async Task<ClaimManyResponse> ClaimManyAsync(ClaimManyRequest request, Officer officer, CancellationToken cancellationToken)
    {
        // Permission before validation: who may not claim at all learns nothing about the request.
        await action.EnsureAllowedAsync(officer, ReviewSteps.Claim, "", officer.CountyCode);
        var ids = request.CaseIds.Select(id => id.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (ids.Count is 0 or > MaxBatch)
        {
            new FieldErrors().Add("case_ids", $"请选择 1–{MaxBatch} 件案件").ThrowIfAny();
        }
        var response = new ClaimManyResponse();
        foreach (var id in ids)
        {
            var outcome = new ClaimOutcome { CaseId = id };
            try
            {
                outcome.Case = await ClaimAsync(new CaseActionRequest { CaseId = id }, officer, cancellationToken);
                outcome.Claimed = true;
            }
            catch (RpcException refused) when (refused.StatusCode is not (StatusCode.Cancelled or StatusCode.Unavailable or StatusCode.Internal))
            {
                outcome.Problem = refused.StatusCode == StatusCode.InvalidArgument ? "案件 ID 无效" : refused.Status.Detail;
            }

            response.Outcomes.Add(outcome);
        }

        return response;
    }

    public async Task<Case> ReleaseAsync(CaseActionRequest request, Officer officer, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var caseId = CaseAction.Validate(request, errors);
        await action.ThrowIfInvalidAsync(officer, caseId, ReviewSteps.Release, errors, cancellationToken);
        return await action.RunAsync(officer, caseId, ReviewSteps.Release, CaseStage.All, async (session, _) =>
        {
            var saved = await CaseAction.UpdateAsync(session, ReleaseSqlReturning, ReleaseSqlSqlServer, new { Id = caseId, OfficerId = officer.Id })
                ?? throw StepRunner.Precondition("该案件不在您名下，无需退回");
            return (saved, "退回队列");
        }, cancellationToken);
    }

    public async Task<Case> ClaimNextAsync(ClaimNextRequest request, Officer officer, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (request.Stage.Length > 0 && !CaseStage.IsOpen(request.Stage))
        {
            errors.Add("stage", "只能领取办理中的案件");
        }

        errors.ThrowIfAny();
        await action.EnsureAllowedAsync(officer, ReviewSteps.Claim, "", officer.CountyCode);
        string[] stages = request.Stage.Length == 0 ? [CaseStage.AwaitingAcceptance, CaseStage.UnderReview] : [request.Stage];
        var now = time.GetUtcNow();
        var parameters = new NextClaim(
            officer.CountyCode, stages[0], stages[^1], stages[^1], request.RequestType.Trim(), officer.Id,
            officer.Name, now + settings.Lease, now);

        await using var session = await database.BeginAsync(cancellationToken);
        var claimed = database.Dialect switch
        {
            SqlDialect.PostgreSql => await session.QuerySingleOrDefaultAsync<Guid?>(NextSqlPostgres, parameters),
            SqlDialect.SqlServer => await session.QuerySingleOrDefaultAsync<Guid?>(NextSqlSqlServer, parameters),
            _ => await ClaimFirstFreeAsync(session, parameters),
        };
        if (claimed is not { } caseId)
        {
            throw new RpcException(new Status(StatusCode.NotFound, "队列中没有可领取的案件"));
        }

        await audit.DoneAsync(session, officer, ReviewSteps.Claim, caseId.ToString(), officer.CountyCode, $"领取下一件，租期至 {parameters.Until:O}");
        var row = await CaseAction.ReloadAsync(session, caseId);
        await session.CommitAsync(cancellationToken);
        return action.View.ToMessage(row);
    }

    private static async Task<Guid?> ClaimFirstFreeAsync(DbSession session, NextClaim parameters)
    {
        foreach (var id in await session.QueryAsync<Guid>(NextCandidatesSqlSqlite, parameters))
        {
            if (await session.ExecuteAsync(ClaimSql, new { Id = id, parameters.OfficerId, parameters.OfficerName, parameters.Until, parameters.Now }) == 1)
            {
                return id;
            }
        }

        return null;
    }

    private sealed record NextClaim(
        string CountyCode, string Stage0, string Stage1, string Stage2, string RequestType, string OfficerId,
        string OfficerName, DateTimeOffset Until, DateTimeOffset Now);
}
