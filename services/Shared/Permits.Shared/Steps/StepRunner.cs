using System.Data.Common;
using Dapper;
using Grpc.Core;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Messaging;

namespace Permits.Shared.Steps;

/// <summary>
/// What an officer step works on: a case, a licence, a shipment, a request. How to load its row inside the step's
/// transaction, how to find its county without one (for permission before validation), and how to name it.
/// </summary>
/// <param name="SubjectId">As the audit records it: a case id, a licence number, a shipment id, a request number.</param>
/// <param name="Noun">For messages: 该案件, 该许可证, 该件, 该申请.</param>
/// <param name="NotFound">The NOT_FOUND message: 未找到该案件.</param>
public sealed record StepTarget<TRow>(
    string SubjectId,
    string Noun,
    string NotFound,
    Func<DbSession, Task<TRow?>> LoadAsync,
    Func<TRow, string> CountyOf,
    Func<DbConnection, Task<string?>> CountyAsync)
{
    /// <summary>A target read by two queries: its row (<paramref name="loadSql"/>) and its county (<paramref name="countySql"/>), both taking <paramref name="parameters"/>.</summary>
    public static StepTarget<TRow> Sql(
        string subjectId, string noun, string notFound, string loadSql, string countySql, object parameters, Func<TRow, string> countyOf) =>
        new(subjectId, noun, notFound,
            session => session.QuerySingleOrDefaultAsync<TRow>(loadSql, parameters),
            countyOf,
            connection => connection.QuerySingleOrDefaultAsync<string?>(countySql, parameters));
}

/// <summary>What a step answers with, and what the audit records of it.</summary>
public sealed record StepResult<T>(T Value, string Detail);

/// <summary>
/// The one step mechanism of every officer action: load the row → check the officer's county and role
/// (<see cref="OfficerGuard"/>; a refusal is audited and changes nothing) → the step's own checks and change, under the
/// row's version → the audit line → the outbox messages the step wrote → commit, all in one transaction. Each service's
/// use case supplies only its checks and its change:
/// <code>
/// return await steps.RunAsync(officer, ReviewSteps.Approve, target, async (session, row) =>
/// {
///     StepRunner.Require(row.Stage == CaseStage.UnderReview, "…");
///     StepRunner.EnsureUpdated(await session.ExecuteAsync(UpdateSql, …));
///     await session.PublishAsync(new LicenceApproved(…));
///     return new StepResult&lt;Case&gt;(…, "准予行政许可，决定书 …");
/// }, cancellationToken);
/// </code>
/// </summary>
public sealed class StepRunner<TService>(ServiceDatabase<TService> database, OfficerAudit<TService> audit)
    where TService : IServiceModule
{
    public OfficerAudit<TService> Audit => audit;

    /// <summary>
    /// Whether the officer may take the step on the target at all, without auditing: a check that asks another service
    /// runs only then. <see cref="RunAsync{TRow,T}"/> decides again and audits a refusal.
    /// </summary>
    public async Task<bool> MayAsync<TRow>(Officer officer, OfficerStep step, StepTarget<TRow> target, CancellationToken cancellationToken)
    {
        var county = await CountyAsync(target, cancellationToken);
        return county is not null && OfficerGuard.Decide(officer, step, county, target.Noun).Allowed;
    }

    /// <summary>
    /// Permission before validation: a request with field errors about something the officer may not act on is
    /// refused (and audited) as PERMISSION_DENIED, so another county's officer cannot probe what it would accept.
    /// Without a readable target, or for one that does not exist, the field errors are the answer.
    /// </summary>
    public async Task ThrowIfInvalidAsync<TRow>(
        Officer officer, OfficerStep step, StepTarget<TRow>? target, FieldErrors errors, CancellationToken cancellationToken)
    {
        if (!errors.Any)
        {
            return;
        }

        if (!step.Roles.Any(officer.HasRole))
        {
            await audit.RefusedAsync(officer, step, target?.SubjectId ?? "", null, OfficerGuard.RoleRefusal(step));
            throw Denied(OfficerGuard.RoleRefusal(step));
        }

        if (target is not null && await CountyAsync(target, cancellationToken) is { } county
            && OfficerGuard.Decide(officer, step, county, target.Noun) is { Allowed: false } verdict)
        {
            await audit.RefusedAsync(officer, step, target.SubjectId, county, verdict.Reason);
            throw Denied(verdict.Reason);
        }

        errors.ThrowIfAny();
    }

    /// <summary>
    /// Runs one step: loads the target (NOT_FOUND), checks the officer may take the step on it (PERMISSION_DENIED,
    /// audited), runs <paramref name="body"/> (its own checks and change), records the audit line and commits. The
    /// body's value is the answer.
    /// </summary>
    public async Task<T> RunAsync<TRow, T>(
        Officer officer, OfficerStep step, StepTarget<TRow> target, Func<DbSession, TRow, Task<StepResult<T>>> body,
        CancellationToken cancellationToken)
    {
        Verdict verdict;
        string county;
        await using (var session = await database.BeginAsync(cancellationToken))
        {
            var row = await target.LoadAsync(session) ?? throw new RpcException(new Status(StatusCode.NotFound, target.NotFound));
            county = target.CountyOf(row);
            verdict = OfficerGuard.Decide(officer, step, county, target.Noun);
            if (verdict.Allowed)
            {
                var result = await body(session, row);
                await audit.DoneAsync(session, officer, step, target.SubjectId, county, result.Detail);
                await session.CommitAsync(cancellationToken);
                return result.Value;
            }
        }

        // Refused: the session is gone (SQLite has one writer), so the refusal is written on its own.
        await audit.RefusedAsync(officer, step, target.SubjectId, county, verdict.Reason);
        throw Denied(verdict.Reason);
    }

    private static RpcException Denied(string reason) => new(new Status(StatusCode.PermissionDenied, reason));

    private async Task<string?> CountyAsync<TRow>(StepTarget<TRow> target, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await target.CountyAsync(connection);
    }
}

/// <summary>What a step's own checks answer with, inside <see cref="StepRunner{TService}.RunAsync{TRow,T}"/>.</summary>
public static class StepRunner
{
    /// <summary>The step cannot be taken in the state the row is in: FAILED_PRECONDITION with <paramref name="message"/>.</summary>
    public static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw Precondition(message);
        }
    }

    public static RpcException Precondition(string message) => new(new Status(StatusCode.FailedPrecondition, message));

    /// <summary>Fails with ABORTED when someone else changed the row since it was read (the versioned UPDATE touched none).</summary>
    public static void EnsureUpdated(int rows, string message = "已被他人处理，请刷新后重试")
    {
        if (rows != 1)
        {
            throw new RpcException(new Status(StatusCode.Aborted, message));
        }
    }
}
