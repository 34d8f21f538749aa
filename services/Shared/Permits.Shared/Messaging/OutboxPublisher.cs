using MassTransit;
using Microsoft.Extensions.Logging;

namespace Permits.Shared.Messaging;

/// <summary>What the outbox relays of a process publish through (<see cref="OutboxRelay{TService}"/>).</summary>
public interface IOutboxPublisher
{
    /// <summary>Publishes <paramref name="message"/> as <paramref name="type"/> with the row's id; returns once the broker confirmed it.</summary>
    Task PublishAsync(object message, Type type, Guid messageId, CancellationToken cancellationToken);

    /// <summary>
    /// Drops the connection after publishes went unconfirmed, so the next publish opens a new one; false when this
    /// publisher has no connection of its own to drop, or dropped one lately (<see cref="RabbitMqOutboxPublisher.RenewQuiet"/>).
    /// </summary>
    Task<bool> RenewAsync(string reason, CancellationToken cancellationToken);
}

/// <summary>
/// The process's own bus: the in-memory transport of the embedded host, whose consumers only hear what is published
/// on the same bus instance. Nothing to renew.
/// </summary>
public sealed class BusOutboxPublisher(IBus bus) : IOutboxPublisher
{
    public Task PublishAsync(object message, Type type, Guid messageId, CancellationToken cancellationToken) =>
        bus.Publish(message, type, Pipe.Execute<PublishContext>(c => c.MessageId = messageId), cancellationToken);

    public Task<bool> RenewAsync(string reason, CancellationToken cancellationToken) => Task.FromResult(false);
}

/// <summary>
/// A RabbitMQ connection for the relays alone, apart from the consumers' bus, as RabbitMQ advises: a broker under a
/// memory or disk alarm blocks the connections that publish, and consumers on the same connection could not drain the
/// queues meanwhile. It is a bus of its own, configured as the service's (host, confirms; MassTransit's default names
/// and serializer, which the consumers expect), with no receive endpoint, started at the first publish.
/// <para>
/// After the connection dropped under publishes awaiting their confirmation, RabbitMQ.Client 7.2 (rabbitmq-dotnet-client
/// #1930, fixed only on its main branch) can leave the channel open but dead: every later publish on it waits for a
/// confirmation that never comes, and neither the bus nor the client notices. Stopping and starting a bus does not help
/// either (its send transports stay stopped), so <see cref="RenewAsync"/> leaves the whole bus behind, stopping it in
/// the background (its dead publishes never end), and the next publish starts a new one. The consumers' bus is not
/// touched.
/// </para>
/// </summary>
public sealed partial class RabbitMqOutboxPublisher(Uri broker, TimeProvider time, ILogger<RabbitMqOutboxPublisher> logger)
    : IOutboxPublisher, IAsyncDisposable
{
    /// <summary>The least time between two renewals: a broker that holds publishes back on purpose looks the same from here.</summary>
    public static readonly TimeSpan RenewQuiet = TimeSpan.FromMinutes(1);

    /// <summary>How long a bus left behind, or the last one at shutdown, is given to stop.</summary>
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private IBusControl? _bus;
    private DateTimeOffset? _renewedAt;

    public async Task PublishAsync(object message, Type type, Guid messageId, CancellationToken cancellationToken)
    {
        var bus = Volatile.Read(ref _bus) ?? await StartAsync(cancellationToken);
        await bus.Publish(message, type, Pipe.Execute<PublishContext>(c => c.MessageId = messageId), cancellationToken);
    }

    public async Task<bool> RenewAsync(string reason, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            if (_bus is not { } left || (_renewedAt is { } last && now - last < RenewQuiet))
            {
                return false;
            }

            LogRenewing(logger, reason);
            Volatile.Write(ref _bus, null);
            _renewedAt = now;
            MessagingMetrics.PublisherRenewals.Add(1);
            _ = StopQuietlyAsync(left);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _bus, null) is { } bus)
        {
            await StopQuietlyAsync(bus);
        }
    }

    /// <summary>The bus, started by the first caller; one that fails to start (the broker away) is stopped and the next publish tries again.</summary>
    private async Task<IBusControl> StartAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_bus is { } started)
            {
                return started;
            }

            var bus = Bus.Factory.CreateUsingRabbitMq(cfg => BusExtensions.ConfigureHost(cfg, broker));
            try
            {
                await bus.StartAsync(cancellationToken);
            }
            catch
            {
                _ = StopQuietlyAsync(bus);
                throw;
            }

            Volatile.Write(ref _bus, bus);
            return bus;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task StopQuietlyAsync(IBusControl bus)
    {
        using var stopping = new CancellationTokenSource(StopTimeout);
        try
        {
            await bus.StopAsync(stopping.Token);
        }
        catch (Exception e)
        {
            LogStopFailed(logger, e.Message);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Opening a new connection for the outbox relays: {Reason}")]
    private static partial void LogRenewing(ILogger logger, string reason);

    [LoggerMessage(LogLevel.Debug, "The outbox relays' previous bus did not stop cleanly: {Error}")]
    private static partial void LogStopFailed(ILogger logger, string error);
}
