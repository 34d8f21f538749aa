using System.Diagnostics;
using System.Text.Json;
using Dapper;
using MassTransit;
using Microsoft.Extensions.Logging;
using Permits.Shared.Data;
using Permits.Shared.Hosting;

namespace Permits.Shared.Messaging;

/// <summary>
/// Publishes what a service committed to its outbox, in commit order, and keeps trying until the broker confirms.
/// A row is marked sent only after the publish is confirmed, so a crash in between publishes it again on restart
/// with the same MessageId, which consumers' inboxes ignore: at least once on the wire, exactly once in effect. While
/// the broker or the database is away, <see cref="PollingWorker"/> keeps trying the same rows, backing off with jitter.
/// </summary>
public sealed class OutboxRelay<TService>(
    ServiceDatabase<TService> database,
    OutboxSignal<TService> signal,
    IBus bus,
    RelaySettings settings,
    TimeProvider time,
    ILogger<OutboxRelay<TService>> logger) : PollingWorker(time, logger)
    where TService : IServiceModule
{
    private const int BatchSize = 100;

    protected override bool Enabled => settings.Enabled;

    protected override async Task<TimeSpan> PassAsync(CancellationToken cancellationToken) =>
        await PublishPendingAsync(cancellationToken) < BatchSize ? settings.PollInterval : TimeSpan.Zero;

    /// <summary>Woken by a commit (<see cref="OutboxSignal{TService}"/>) before the poll interval ends.</summary>
    protected override Task WaitAsync(TimeSpan pause, CancellationToken cancellationToken) =>
        pause <= TimeSpan.Zero ? Task.CompletedTask : signal.WaitAsync(pause, cancellationToken);

    /// <summary>Publishes one batch of pending messages; returns how many left.</summary>
    public async ValueTask<int> PublishPendingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<OutboxRow>(
            OutboxSql.Pending(database.Dialect), new { Limit = BatchSize })).AsList();

        foreach (var row in rows)
        {
            var type = Type.GetType(row.MessageType)
                ?? throw new InvalidOperationException($"Outbox message {row.MessageId} has unknown type {row.MessageType}.");
            var message = JsonSerializer.Deserialize(row.Body, type, OutboxJson.Options)
                ?? throw new InvalidOperationException($"Outbox message {row.MessageId} has an empty body.");

            using var activity = PermitsTelemetry.Source.StartActivity(
                "outbox publish", ActivityKind.Producer, row.TraceParent);
            activity?.SetTag("messaging.message.id", row.MessageId);
            try
            {
                await bus.Publish(message, type, Pipe.Execute<PublishContext>(c => c.MessageId = row.MessageId),
                    cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                await connection.ExecuteAsync(OutboxSql.MarkFailedSql, new { row.Sequence, Error = Truncate(ex.Message) });
                throw;
            }

            await connection.ExecuteAsync(OutboxSql.MarkSentSql, new { row.Sequence, SentAt = Time.GetUtcNow() });
        }

        return rows.Count;
    }

    private static string Truncate(string text) => text.Length <= 1000 ? text : text[..1000];
}

/// <summary><c>Outbox:RelayEnabled</c> (default true) and <c>Outbox:PollIntervalMs</c> (default 1000).</summary>
public sealed record RelaySettings(bool Enabled, TimeSpan PollInterval);
