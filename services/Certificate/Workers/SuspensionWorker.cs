using Dapper;
using Permits.Certificate.Features.Lifecycle;
using Permits.Contracts.Licensing;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Hosting;

namespace Permits.Certificate.Workers;

/// <param name="Enabled">Certificate:Suspensions:Enabled (default true).</param>
/// <param name="PollInterval">Certificate:Suspensions:PollSeconds (default 60).</param>
public sealed record SuspensionWorkerSettings(bool Enabled, TimeSpan PollInterval, int BatchSize = 100);

/// <summary>
/// Applies scheduled 停业 on their first day (China time). Every instance polls; each suspension is applied once: a
/// conditional UPDATE claims the request row in the same transaction that suspends the licence and writes its event,
/// history and disclosure record, so several instances (or a restart mid-way) cannot apply it twice.
/// </summary>
public sealed partial class SuspensionWorker(
    ServiceDatabase<CertificateModule> database,
    IServiceScopeFactory scopes,
    TimeProvider time,
    SuspensionWorkerSettings settings,
    ILogger<SuspensionWorker> logger) : PollingWorker(time, logger)
{
    private const string Due = """
        FROM licence_requests
        WHERE request_type = @Suspend AND suspension_scheduled_at IS NOT NULL AND suspension_applied_at IS NULL
            AND licence_number IS NOT NULL AND suspend_from <= @Today
        """;

    private const string DueSqlSqlite = $"SELECT {ScheduledSuspension.Columns} {Due} ORDER BY suspend_from LIMIT @BatchSize";

    private const string DueSqlPostgres = DueSqlSqlite;

    private const string DueSqlSqlServer = $"SELECT TOP (@BatchSize) {ScheduledSuspension.Columns} {Due} ORDER BY suspend_from";

    private const string ClaimSql = """
        UPDATE licence_requests SET suspension_applied_at = @Now
        WHERE application_id = @ApplicationId AND suspension_applied_at IS NULL
        """;

    protected override bool Enabled => settings.Enabled;

    protected override async Task<TimeSpan> PassAsync(CancellationToken cancellationToken)
    {
        await RunOnceAsync(cancellationToken);
        return settings.PollInterval;
    }

    /// <summary>One poll: applies every scheduled suspension that is due. Returns how many licences it suspended.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        List<ScheduledSuspension> due;
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            var sql = database.Dialect switch
            {
                SqlDialect.SqlServer => DueSqlSqlServer,
                SqlDialect.PostgreSql => DueSqlPostgres,
                _ => DueSqlSqlite,
            };
            due = (await connection.QueryAsync<ScheduledSuspension>(
                sql, new { RequestTypes.Suspend, Today = Time.Today(), settings.BatchSize })).ToList();
        }

        var applied = 0;
        foreach (var scheduled in due)
        {
            applied += await ApplyAsync(scheduled, cancellationToken) ? 1 : 0;
        }

        return applied;
    }

    private async Task<bool> ApplyAsync(ScheduledSuspension scheduled, CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var suspensions = scope.ServiceProvider.GetRequiredService<ScheduledSuspensions>();
        await using var session = await database.BeginAsync(cancellationToken);
        if (await session.ExecuteAsync(ClaimSql, new { scheduled.ApplicationId, Now = Time.GetUtcNow() }) != 1)
        {
            return false; // another instance applied it
        }

        var suspended = await suspensions.ApplyAsync(session, scheduled);
        if (!suspended)
        {
            LogSkipped(logger, scheduled.ApplicationNumber, scheduled.LicenceNumber);
        }

        await session.CommitAsync(cancellationToken);
        return suspended;
    }

    [LoggerMessage(LogLevel.Warning, "Scheduled suspension of {ApplicationNumber}: licence {LicenceNumber} is no longer valid, left as it is")]
    private static partial void LogSkipped(ILogger logger, string applicationNumber, string licenceNumber);
}
