using System.Collections.Concurrent;
using MassTransit;

namespace Permits.Testing;

/// <summary>
/// Counts, on the test broker, every message of one type by message id: what went on the wire, however many
/// publishers sent it. It takes one message at a time, in queue order, so <see cref="SettledAsync"/> (a sentinel
/// published after everything the publishers had confirmed) returns only once all of that was counted.
/// </summary>
public sealed class BrokerCounter<T> : IAsyncDisposable where T : class
{
    private readonly IBusControl _bus;
    private Guid _sentinel = Guid.NewGuid();
    private TaskCompletionSource _settled = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private BrokerCounter(string amqp, string queue)
    {
        _bus = TestBus.RabbitMq(amqp, cfg => cfg.ReceiveEndpoint(queue, endpoint =>
        {
            endpoint.ConcurrentMessageLimit = 1;
            endpoint.Handler<T>(context =>
            {
                if (context.MessageId == _sentinel)
                {
                    _settled.TrySetResult();
                }
                else
                {
                    Received.AddOrUpdate(context.MessageId!.Value, 1, (_, seen) => seen + 1);
                }

                return Task.CompletedTask;
            });
        }));
    }

    /// <summary>How many times each message id arrived (the sentinel not counted).</summary>
    public ConcurrentDictionary<Guid, int> Received { get; } = new();

    /// <param name="amqp">A virtual host of the test broker (<see cref="TestServers.NewVirtualHostAsync"/>).</param>
    public static async Task<BrokerCounter<T>> StartAsync(string amqp, string queue)
    {
        var counter = new BrokerCounter<T>(amqp, queue);
        await TestBus.StartAsync(counter._bus);
        return counter;
    }

    /// <summary>Publishes <paramref name="sentinel"/> and returns once it has been taken, so everything before it has.</summary>
    public async Task SettledAsync(T sentinel)
    {
        _sentinel = Guid.NewGuid();
        _settled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await _bus.Publish(sentinel, context => context.MessageId = _sentinel);
        await _settled.Task.WaitAsync(TimeSpan.FromSeconds(60));
    }

    public async ValueTask DisposeAsync() => await _bus.StopAsync();
}

/// <summary>A bus of the test's own on the test broker, configured as the services configure theirs (confirms on).</summary>
public static class TestBus
{
    /// <param name="amqp">amqp://user:password@host:port/vhost, as <see cref="TestServers.NewVirtualHostAsync"/> gives.</param>
    public static IBusControl RabbitMq(string amqp, Action<IRabbitMqBusFactoryConfigurator>? configure = null) =>
        Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            var uri = new Uri(amqp);
            var user = uri.UserInfo.Split(':', 2);
            cfg.Host(uri.Host, (ushort)uri.Port, Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')), host =>
            {
                host.Username(Uri.UnescapeDataString(user[0]));
                host.Password(Uri.UnescapeDataString(user[1]));
                host.PublisherConfirmation = true;
            });
            configure?.Invoke(cfg);
        });

    /// <summary>Starts a bus, giving up after a minute rather than hanging the test.</summary>
    public static async Task StartAsync(IBusControl bus)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await bus.StartAsync(timeout.Token);
    }
}
