using System.Diagnostics;
using System.Text.Json;
using Dapper;
using MassTransit;
using Microsoft.Extensions.Logging;
using Permits.Shared.Data;
using Permits.Shared.Hosting;

namespace Permits.Shared.Messaging;

/// <summary>
/// Publishes what a service committed to its outbox and keeps trying until the broker confirms. Each pass claims a
/// batch of rows for this relay alone (a lease: <c>claimed_by</c>, <c>claimed_until</c>, set by one conditional
/// statement), so the replicas of a service share the outbox without publishing a row twice; publishes the batch all at
/// once, awaiting the confirms together; and marks what was confirmed sent in one statement. A row is marked sent only
/// after its publish is confirmed, so a relay that dies in between leaves its rows claimed until the lease ends, and
/// then any replica publishes them again with the same MessageId, which consumers' inboxes ignore: at least once on the
/// wire, exactly once in effect. A row that cannot be read (a name no type carries, a body that is not its JSON) is
/// moved to <c>outbox_dead_letters</c> and the rest flow on. While the broker or the database is away,
/// <see cref="PollingWorker"/> keeps trying, backing off with jitter. A publish the broker has not confirmed within
/// <see cref="MessagingSettings.PublishTimeout"/> counts as failed, so no lost confirmation can hold the relay, and the
/// publisher opens a new connection (<see cref="IOutboxPublisher.RenewAsync"/>): on RabbitMQ the relays publish on a
/// connection of their own, apart from the consumers' (<see cref="RabbitMqOutboxPublisher"/>).
/// </summary>
/// <remarks>
/// Within a batch, messages leave concurrently, so two of them may reach the broker in either order. No consumer relies
/// on the order of one service's messages: each consumer has its own queue, so messages of different types were never
/// ordered relative to each other; Intake's status only moves forward whatever order events come in; Disclosure's log
/// is ordered by arrival, and its views order a case's steps by when they happened (docs/DESIGN.md, "Order of the
/// disclosure log"). Publishes are still started in commit order, so on one channel they mostly leave in it.
/// </remarks>
public sealed partial class OutboxRelay<TService> : PollingWorker
    where TService : IServiceModule
{
    private static readonly KeyValuePair<string, object?> ServiceTag = new("service", TService.Name);

    private readonly ServiceDatabase<TService> database;
    private readonly OutboxSignal<TService> signal;
    private readonly IOutboxPublisher publisher;
    private readonly RelaySettings settings;
    private readonly MessagingSettings messaging;
    private readonly ILogger logger;

    public OutboxRelay(
        ServiceDatabase<TService> database,
        OutboxSignal<TService> signal,
        IOutboxPublisher publisher,
        RelaySettings settings,
        MessagingSettings messaging,
        TimeProvider time,
        ILogger<OutboxRelay<TService>> logger)
        : base(time, logger)
    {
        this.database = database;
        this.signal = signal;
        this.publisher = publisher;
        this.settings = settings;
        this.messaging = messaging;
        this.logger = logger;
    }

    /// <summary>Who holds a claim: unique to this relay in this process, so a restarted replica is a new claimant.</summary>
    public string Claimant { get; } =
        $"{(Environment.MachineName.Length > 50 ? Environment.MachineName[..50] : Environment.MachineName)}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    protected override bool Enabled => settings.Enabled;

    /// <summary>
    /// A full batch: at once again. An empty pass: the poll interval, doubled for each empty pass in a row up to eight
    /// times it (<see cref="PollingWorker.Idle"/>). Polling is only the fallback here: every commit in this process wakes
    /// the relay at once, so what an empty poll would find is a row another process wrote and left (its lease ran out),
    /// and an idle service no longer commits an empty claim every interval.
    /// </summary>
    protected override async Task<TimeSpan> PassAsync(CancellationToken cancellationToken) =>
        await PublishPendingAsync(cancellationToken) switch
        {
            0 => Idle(settings.PollInterval),
            var claimed when claimed < messaging.BatchSize => settings.PollInterval,
            _ => TimeSpan.Zero,
        };

    /// <summary>Woken by a commit (<see cref="OutboxSignal{TService}"/>) before the poll interval ends.</summary>
    protected override Task WaitAsync(TimeSpan pause, CancellationToken cancellationToken) =>
        pause <= TimeSpan.Zero ? Task.CompletedTask : signal.WaitAsync(pause, cancellationToken);

    /// <summary>Claims one batch and publishes it; returns how many rows it claimed.</summary>
    public async ValueTask<int> PublishPendingAsync(CancellationToken cancellationToken)
    {
        var batch = await ClaimAsync(cancellationToken);
        await PublishAsync(batch, cancellationToken);
        return batch.Count;
    }

    /// <summary>Claims up to a batch of unsent rows nobody else holds, oldest first, for this relay until the lease ends.</summary>
    public async Task<OutboxBatch> ClaimAsync(CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<OutboxRow>(
            OutboxSql.Claim(database.Dialect),
            new { Claimant, Now = now, Until = now + messaging.Lease, Limit = messaging.BatchSize });
        return new OutboxBatch(rows.OrderBy(r => r.Sequence).ToList());
    }

    /// <summary>
    /// Publishes a claimed batch: unreadable rows to the dead letters, the rest to the broker all at once; then one
    /// statement marks every confirmed row sent. Throws if any publish failed (its row is freed and tried again).
    /// </summary>
    public async Task PublishAsync(OutboxBatch batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        var publishes = new List<Task<Outcome>>(batch.Count);
        var unreadable = new List<(OutboxRow Row, string Reason)>();
        foreach (var row in batch.Rows)
        {
            if (Read(row) is { } read)
            {
                publishes.Add(PublishOneAsync(row, read.Message, read.Type, cancellationToken));
            }
            else
            {
                unreadable.Add((row, Unreadable(row)));
            }
        }

        var outcomes = await Task.WhenAll(publishes);

        // What the broker confirmed is recorded even while stopping, so it is not published again.
        await using var connection = await database.OpenAsync(CancellationToken.None);
        var sent = outcomes.Where(o => o.Error is null).Select(o => o.Sequence).ToList();
        if (sent.Count > 0)
        {
            await connection.ExecuteAsync(OutboxSql.MarkSent(database.Dialect), new { Sequences = sent, SentAt = Time.GetUtcNow() });
            MessagingMetrics.Published.Add(sent.Count, ServiceTag);
        }

        foreach (var (row, reason) in unreadable)
        {
            await DeadLetterAsync(connection, row, reason);
        }

        var cancelled = outcomes.Where(o => o.Error is OperationCanceledException).Select(o => o.Sequence).ToList();
        if (cancelled.Count > 0)
        {
            await connection.ExecuteAsync(OutboxSql.Release(database.Dialect), new { Sequences = cancelled, Claimant });
            cancellationToken.ThrowIfCancellationRequested();
        }

        var failed = outcomes.Where(o => o.Error is not null and not OperationCanceledException).ToList();
        if (failed.Count > 0)
        {
            await connection.ExecuteAsync(
                OutboxSql.MarkFailedSql, failed.Select(f => new { f.Sequence, Error = Truncate(f.Error!.Message) }));
            if (failed.Any(f => f.Error is TimeoutException))
            {
                await publisher.RenewAsync(
                    $"{TService.Name}'s outbox relay had publishes the broker did not confirm within {messaging.PublishTimeout.TotalSeconds:0} s",
                    cancellationToken);
            }

            throw new InvalidOperationException(
                $"{failed.Count} of {batch.Count} outbox messages of {TService.Name} were not confirmed by the broker.", failed[0].Error);
        }
    }

    private async Task<Outcome> PublishOneAsync(OutboxRow row, object message, Type type, CancellationToken cancellationToken)
    {
        using var activity = PermitsTelemetry.Source.StartActivity("outbox publish", ActivityKind.Producer, row.TraceParent);
        activity?.SetTag("messaging.message.id", row.MessageId);
        // Bounded (MessagingSettings.PublishTimeout): a confirmation that never comes fails this row, not the relay.
        // The token reaches the client's wait for the confirmation; WaitAsync ends the wait even if it did not.
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(messaging.PublishTimeout);
        try
        {
            await publisher.PublishAsync(message, type, row.MessageId, bounded.Token)
                .WaitAsync(messaging.PublishTimeout, cancellationToken);
            return new Outcome(row.Sequence, null);
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            var timedOut = new TimeoutException(
                $"The broker did not confirm message {row.MessageId} within {messaging.PublishTimeout.TotalSeconds:0} s.", ex);
            activity?.SetStatus(ActivityStatusCode.Error, timedOut.Message);
            return new Outcome(row.Sequence, timedOut);
        }
        catch (Exception ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            return new Outcome(row.Sequence, ex);
        }
    }

    /// <summary>The message a row holds, or null if its name resolves to no type or its body does not read as one.</summary>
    private static (object Message, Type Type)? Read(OutboxRow row)
    {
        if (MessageNames.Resolve(row.MessageName ?? row.MessageType) is not { } type)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(row.Body, type, OutboxJson.Options) is { } message ? (message, type) : null;
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Why <see cref="Read"/> gave nothing, in words for the dead-letter row and the log.</summary>
    private static string Unreadable(OutboxRow row)
    {
        var name = row.MessageName ?? row.MessageType;
        if (MessageNames.Resolve(name) is not { } type)
        {
            return $"No message type is named {name}.";
        }

        try
        {
            _ = JsonSerializer.Deserialize(row.Body, type, OutboxJson.Options);
            return $"The body is empty (JSON null) for {name}.";
        }
        catch (Exception ex)
        {
            return Truncate($"The body does not read as {name}: {ex.Message}");
        }
    }

    /// <summary>Moves the row aside in one transaction, so it is either still in the outbox or in the dead letters.</summary>
    private async Task DeadLetterAsync(System.Data.Common.DbConnection connection, OutboxRow row, string reason)
    {
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await connection.ExecuteAsync(
                OutboxSql.DeadLetterSql, new { row.Sequence, DeadAt = Time.GetUtcNow(), Reason = reason }, transaction);
            await connection.ExecuteAsync(OutboxSql.DeleteSql, new { row.Sequence }, transaction);
            await transaction.CommitAsync();
        }

        MessagingMetrics.DeadLettered.Add(1, ServiceTag);
        LogDeadLettered(logger, TService.Name, row.MessageId, row.MessageName ?? row.MessageType, reason);
    }

    private static string Truncate(string text) => text.Length <= 1000 ? text : text[..1000];

    [LoggerMessage(LogLevel.Error,
        "{Service} outbox message {MessageId} ({MessageName}) cannot be read and was moved to outbox_dead_letters: {Reason}")]
    private static partial void LogDeadLettered(ILogger logger, string service, Guid messageId, string messageName, string reason);

    private sealed record Outcome(long Sequence, Exception? Error);
}

/// <summary>Rows one relay has claimed, oldest first.</summary>
public sealed class OutboxBatch
{
    internal OutboxBatch(IReadOnlyList<OutboxRow> rows) => Rows = rows;

    internal IReadOnlyList<OutboxRow> Rows { get; }

    public int Count => Rows.Count;

    public IEnumerable<Guid> MessageIds => Rows.Select(r => r.MessageId);
}

/// <summary><c>Outbox:RelayEnabled</c> (default true) and <c>Outbox:PollIntervalMs</c> (default 1000).</summary>
public sealed record RelaySettings(bool Enabled, TimeSpan PollInterval);
