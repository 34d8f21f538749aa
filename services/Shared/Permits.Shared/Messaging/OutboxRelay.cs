using System.Diagnostics;
using System.Text.Json;
using Dapper;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Permits.Shared.Data;
using Permits.Shared.Hosting;
using Polly;
using Polly.Retry;

namespace Permits.Shared.Messaging;

/// <summary>
/// Publishes what a service committed to its outbox, in commit order, and keeps trying until the broker confirms.
/// A row is marked sent only after the publish is confirmed, so a crash in between publishes it again on restart
/// with the same MessageId, which consumers' inboxes ignore: at least once on the wire, exactly once in effect.
/// </summary>
public sealed partial class OutboxRelay<TService>(
    ServiceDatabase<TService> database,
    OutboxSignal<TService> signal,
    IBus bus,
    RelaySettings settings,
    TimeProvider time,
    ILogger<OutboxRelay<TService>> logger) : BackgroundService
    where TService : IServiceModule
{
    private const int BatchSize = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.Enabled)
        {
            LogDisabled(logger, TService.Name);
            return;
        }

        // The broker or the database may be away for a while: keep trying the same rows, backing off with jitter.
        var pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => ex is not OperationCanceledException),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(200),
                MaxDelay = TimeSpan.FromSeconds(30),
                OnRetry = retry =>
                {
                    LogRelayFailed(logger, retry.Outcome.Exception, TService.Name, retry.RetryDelay.TotalMilliseconds);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var published = await pipeline.ExecuteAsync(PublishPendingAsync, stoppingToken);
                if (published < BatchSize)
                {
                    await signal.WaitAsync(settings.PollInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

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

            await connection.ExecuteAsync(OutboxSql.MarkSentSql, new { row.Sequence, SentAt = time.GetUtcNow() });
        }

        return rows.Count;
    }

    private static string Truncate(string text) => text.Length <= 1000 ? text : text[..1000];

    [LoggerMessage(LogLevel.Warning, "Outbox relay of {Service} is disabled by configuration (Outbox:RelayEnabled=false)")]
    private static partial void LogDisabled(ILogger logger, string service);

    [LoggerMessage(LogLevel.Warning, "Outbox relay of {Service} failed; retrying in {DelayMs} ms")]
    private static partial void LogRelayFailed(ILogger logger, Exception? exception, string service, double delayMs);
}

/// <summary><c>Outbox:RelayEnabled</c> (default true) and <c>Outbox:PollIntervalMs</c> (default 1000).</summary>
public sealed record RelaySettings(bool Enabled, TimeSpan PollInterval);
