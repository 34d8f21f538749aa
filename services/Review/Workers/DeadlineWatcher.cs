using Dapper;
using Permits.Contracts.Review;
using Permits.Review.Domain;
using Permits.Review.Features;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Hosting;
using Permits.Shared.Steps;

namespace Permits.Review.Workers;

/// <param name="Enabled">Review:Deadlines:Enabled (default true).</param>
/// <param name="PollInterval">Review:Deadlines:PollSeconds (default 60).</param>
public sealed record DeadlineWatcherSettings(bool Enabled, TimeSpan PollInterval, int BatchSize = 200);

/// <summary>
/// The durable timer of the legal clock: deadline rows live in the database and every instance polls the open ones.
/// Each warning and each breach is raised once: a conditional UPDATE marks the row in the same transaction that
/// publishes the event, so several instances (or a restart mid-way) cannot raise it twice. A breached acceptance
/// deadline makes the application deemed accepted from receipt (行政许可法 Art. 32).
/// </summary>
public sealed partial class DeadlineWatcher(
    ServiceDatabase<ReviewModule> database,
    CountyDirectory counties,
    LegalClock clock,
    TimeProvider time,
    OfficerAudit<ReviewModule> audit,
    DeadlineWatcherSettings settings,
    ILogger<DeadlineWatcher> logger) : PollingWorker(time, logger)
{
    public const string SystemOfficer = "system";

    private const string DueSqlSqlite = $"""
        SELECT {DeadlineRow.Columns} FROM review_deadlines
        WHERE closed_at IS NULL AND ((warned_at IS NULL AND warn_on <= @Today) OR (breached_at IS NULL AND due_by < @Today))
        ORDER BY due_by LIMIT @BatchSize
        """;

    private const string DueSqlSqlServer = $"""
        SELECT TOP (@BatchSize) {DeadlineRow.Columns} FROM review_deadlines
        WHERE closed_at IS NULL AND ((warned_at IS NULL AND warn_on <= @Today) OR (breached_at IS NULL AND due_by < @Today))
        ORDER BY due_by
        """;

    private const string MarkWarnedSql = """
        UPDATE review_deadlines SET warned_at = @Now WHERE id = @Id AND warned_at IS NULL AND closed_at IS NULL
        """;

    private const string MarkBreachedSql = """
        UPDATE review_deadlines SET breached_at = @Now, warned_at = COALESCE(warned_at, @Now)
        WHERE id = @Id AND breached_at IS NULL AND closed_at IS NULL
        """;

    private const string CaseSql = $"SELECT {CaseRow.Columns} FROM review_cases WHERE id = @Id";

    protected override bool Enabled => settings.Enabled;

    protected override async Task<TimeSpan> PassAsync(CancellationToken cancellationToken)
    {
        await RunOnceAsync(cancellationToken);
        return settings.PollInterval;
    }

    /// <summary>One poll: raises every warning and breach that is due. Returns how many events it raised.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var today = Time.Today();
        List<DeadlineRow> due;
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            // Only SQL Server lacks LIMIT.
            var sql = database.Dialect == SqlDialect.SqlServer ? DueSqlSqlServer : DueSqlSqlite;
            due = (await connection.QueryAsync<DeadlineRow>(sql, new { Today = today, settings.BatchSize })).ToList();
        }

        var raised = 0;
        foreach (var deadline in due)
        {
            if (deadline.BreachedAt is null && LegalClock.IsBreached(deadline.DueBy, today))
            {
                raised += await BreachAsync(deadline, cancellationToken) ? 1 : 0;
            }
            else if (deadline.WarnedAt is null && deadline.WarnOn <= today)
            {
                raised += await WarnAsync(deadline, today, cancellationToken) ? 1 : 0;
            }
        }

        return raised;
    }

    private async Task<bool> WarnAsync(DeadlineRow deadline, DateOnly today, CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        await using var session = await database.BeginAsync(cancellationToken);
        if (await session.ExecuteAsync(MarkWarnedSql, new { deadline.Id, Now = now }) != 1)
        {
            return false; // another instance raised it, or the step was done meanwhile
        }

        var row = await session.QuerySingleOrDefaultAsync<CaseRow>(CaseSql, new { Id = deadline.CaseId });
        if (row is null)
        {
            return false;
        }

        using var span = Trace(row, "deadline warning", deadline.Kind);

        await session.PublishAsync(new DeadlineApproaching(
            row.ApplicationId, row.Id, row.CountyCode, deadline.Kind, deadline.DueBy, deadline.DueProvisional != 0,
            clock.WorkingDaysLeft(today, deadline.DueBy), now));
        await session.CommitAsync(cancellationToken);
        return true;
    }

    private async Task<bool> BreachAsync(DeadlineRow deadline, CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        await using var session = await database.BeginAsync(cancellationToken);
        if (await session.ExecuteAsync(MarkBreachedSql, new { deadline.Id, Now = now }) != 1)
        {
            return false;
        }

        var row = await session.QuerySingleOrDefaultAsync<CaseRow>(CaseSql, new { Id = deadline.CaseId });
        if (row is null)
        {
            return false;
        }

        using var span = Trace(row, "deadline breach", deadline.Kind);

        if (deadline.Kind == ClockPhase.PromisedDecision)
        {
            // The county's own promise, broken: on its board apart, never announced as a breach of the law.
            LogPromiseBroken(logger, row.ApplicationNumber, deadline.DueBy);
            await session.CommitAsync(cancellationToken);
            return false;
        }

        var deemed = deadline.Kind == ClockPhase.Acceptance && row.Stage == CaseStage.AwaitingAcceptance && row.Clock.Running;
        await session.PublishAsync(new DeadlineBreached(
            row.ApplicationId, row.Id, row.CountyCode, deadline.Kind, deadline.DueBy, deadline.DueProvisional != 0, deemed, now));
        if (deemed)
        {
            // 逾期不告知补正的，自收到申请材料之日起即为受理: the decision period runs from receipt.
            var issued = await AcceptApplication.AcceptAsync(
                session, counties, clock, row, clock.DeemAccepted(row.Clock), SystemOfficer, now, deemed: true);
            var (document, _) = await CaseAction.NumberAsync(session, row, issued, endClaim: false);
            await issued.RecordAsync(document);
            await audit.DoneBySystemAsync(
                session, SystemOfficer, ReviewSteps.Accept, row.Id.ToString(), row.CountyCode,
                $"受理期限 {ChinaTime.Text(deadline.DueBy)} 届满未处理，依法视为受理");
        }

        LogBreached(logger, deadline.Kind, row.ApplicationNumber, deadline.DueBy, deemed);
        await session.CommitAsync(cancellationToken);
        return true;
    }

    [LoggerMessage(LogLevel.Information, "Promised decision limit of {ApplicationNumber} (due {DueBy}) passed undecided")]
    private static partial void LogPromiseBroken(ILogger logger, string applicationNumber, DateOnly dueBy);

    [LoggerMessage(LogLevel.Warning, "{Kind} deadline of {ApplicationNumber} (due {DueBy}) breached; deemed accepted: {Deemed}")]
    private static partial void LogBreached(ILogger logger, string kind, string applicationNumber, DateOnly dueBy, bool deemed);

    /// <summary>
    /// A span per case the watcher acts on, marked with its application number, so the warning or breach (and the
    /// messages it publishes, which carry this trace) is found with the rest of that licence's journey.
    /// </summary>
    private static System.Diagnostics.Activity? Trace(CaseRow row, string name, string kind)
    {
        var span = PermitsTelemetry.Source.StartActivity(name);
        span?.SetTag("permits.deadline.kind", kind);
        PermitsTelemetry.ForApplication(row.ApplicationNumber);
        return span;
    }
}
