using Dapper;
using Microsoft.Extensions.Logging;
using Permits.Shared.Data;
using Permits.Shared.Hosting;

namespace Permits.Shared.Messaging;

/// <summary>
/// Deletes outbox rows sent longer ago than <see cref="MessagingSettings.OutboxRetention"/> and inbox rows older than
/// <see cref="MessagingSettings.InboxRetention"/>, a bounded batch of each per statement, passes following each other
/// while batches come back full. Every replica may run it: deleting what is already gone changes nothing. Unsent rows
/// and dead letters are never pruned.
/// </summary>
public sealed partial class OutboxPruner<TService> : PollingWorker
    where TService : IServiceModule
{
    private static readonly KeyValuePair<string, object?> ServiceTag = new("service", TService.Name);

    private readonly ServiceDatabase<TService> database;
    private readonly MessagingSettings settings;
    private readonly ILogger logger;

    public OutboxPruner(
        ServiceDatabase<TService> database, MessagingSettings settings, TimeProvider time, ILogger<OutboxPruner<TService>> logger)
        : base(time, logger)
    {
        this.database = database;
        this.settings = settings;
        this.logger = logger;
    }

    protected override async Task<TimeSpan> PassAsync(CancellationToken cancellationToken)
    {
        var pruned = await PruneAsync(cancellationToken);
        return pruned.Outbox == settings.PruneBatchSize || pruned.Inbox == settings.PruneBatchSize
            ? TimeSpan.Zero
            : settings.PruneInterval;
    }

    /// <summary>
    /// One batch of each table. Each cutoff is on the clock its rows were stamped with: the relay stamps sent rows with
    /// the service's clock, the inbox stamps received rows with the system's.
    /// </summary>
    public async Task<(int Outbox, int Inbox)> PruneAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var outbox = await connection.ExecuteAsync(
            OutboxSql.PruneOutbox(database.Dialect),
            new { Before = Time.GetUtcNow() - settings.OutboxRetention, Limit = settings.PruneBatchSize });
        var inbox = await connection.ExecuteAsync(
            OutboxSql.PruneInbox(database.Dialect),
            new { Before = TimeProvider.System.GetUtcNow() - settings.InboxRetention, Limit = settings.PruneBatchSize });
        if (outbox + inbox > 0)
        {
            MessagingMetrics.Pruned.Add(outbox + inbox, ServiceTag);
            LogPruned(logger, TService.Name, outbox, inbox);
        }

        return (outbox, inbox);
    }

    [LoggerMessage(LogLevel.Debug, "{Service}: pruned {Outbox} sent outbox rows and {Inbox} inbox rows")]
    private static partial void LogPruned(ILogger logger, string service, int outbox, int inbox);
}

/// <summary>The outbox as an operator watches it: messages waiting, the oldest one's age, rows set aside.</summary>
public sealed record OutboxStatus(long Pending, DateTimeOffset? OldestPendingAt, long DeadLetters)
{
    public static async Task<OutboxStatus> ReadAsync<TService>(ServiceDatabase<TService> database, CancellationToken cancellationToken)
        where TService : IServiceModule
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return Of(await connection.QuerySingleAsync<StatusRow>(OutboxSql.StatusSql));
    }

    /// <summary>The same, on an open connection and synchronously, for the gauges read at metrics collection.</summary>
    public static OutboxStatus Read(System.Data.Common.DbConnection connection) =>
        Of(connection.QuerySingle<StatusRow>(OutboxSql.StatusSql));

    private static OutboxStatus Of(StatusRow row) => new(row.Pending, row.OldestPendingAt, row.DeadLetters);

    private sealed class StatusRow
    {
        public long Pending { get; init; }
        public DateTimeOffset? OldestPendingAt { get; init; }
        public long DeadLetters { get; init; }
    }
}
