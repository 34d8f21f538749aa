using System.Threading.Channels;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Permits.LocalInfra;
using Permits.Shared.Messaging;
using Xunit.Abstractions;

namespace Permits.Shared.Tests;

public sealed record SlowProbe(int Number);

/// <summary>Takes a while over the first message, as a consumer rendering a document does, and reports each one it finishes.</summary>
public sealed class SlowProbeConsumer(Channel<int> finished, SlowProbeSignals signals) : IConsumer<SlowProbe>
{
    public async Task Consume(ConsumeContext<SlowProbe> context)
    {
        if (context.Message.Number == 1)
        {
            signals.Working.TrySetResult();
            await Task.Delay(TimeSpan.FromSeconds(4), CancellationToken.None);
        }

        await finished.Writer.WriteAsync(context.Message.Number);
    }
}

public sealed class SlowProbeSignals
{
    public TaskCompletionSource Working { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>
/// The broker's application stops while a consumer is working on a message (its acknowledgement then fails) and starts
/// again: the consumer must take messages again afterwards, the one it was working on included (the broker gives it
/// back). A receive endpoint that stayed down would leave every later case waiting in its queue.
/// </summary>
[Collection(nameof(BrokerRestartAlone))]
public sealed class When_the_broker_restarts_while_a_consumer_is_working
{
    [Fact]
    public async Task Should_consume_again_afterwards()
    {
        await using var broker = await RabbitMqServer.StartAsync(RepoPaths.ServerWork("broker-restart"));
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Bus:Transport"] = "RabbitMq",
            ["ConnectionStrings:RabbitMq"] = broker.AmqpUri(),
        });
        var finished = Channel.CreateUnbounded<int>();
        var signals = new SlowProbeSignals();
        builder.Services.AddSingleton(finished);
        builder.Services.AddSingleton(signals);
        builder.AddConsumers<QueueProbeModule>(consumers => consumers.Add<SlowProbeConsumer>());
        builder.AddPermitsBus();
        builder.Services.Configure<MassTransitHostOptions>(options => options.WaitUntilStarted = true);
        await using var app = builder.Build();
        await app.StartAsync();
        try
        {
            var publish = app.Services.GetRequiredService<IPublishEndpoint>();
            await publish.Publish(new SlowProbe(1));
            await signals.Working.Task.WaitAsync(TimeSpan.FromSeconds(60));
            await broker.RestartAppAsync();

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            await PublishUntilAcceptedAsync(publish, new SlowProbe(2), timeout.Token);
            var seen = new HashSet<int>();
            while (!(seen.Contains(1) && seen.Contains(2)))
            {
                seen.Add(await finished.Reader.ReadAsync(timeout.Token));
            }
        }
        finally
        {
            await app.StopAsync();
        }
    }

    /// <summary>The bus's own connection may still be coming back: its publish is tried until the broker takes it.</summary>
    private static async Task PublishUntilAcceptedAsync(IPublishEndpoint publish, SlowProbe message, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var once = CancellationTokenSource.CreateLinkedTokenSource(ct);
                once.CancelAfter(TimeSpan.FromSeconds(10));
                await publish.Publish(message, once.Token);
                return;
            }
            catch (Exception) when (attempt < 10 && !ct.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
        }
    }
}

/// <summary>
/// The broker's application stops and starts while a relay is publishing a long outbox: every row is published and
/// marked sent afterwards. A publish whose confirmation never comes (RabbitMQ.Client 7.2 can leave one waiting for ever
/// when its channel closes under it, and every later one on that channel too) must not hold the relay: it times out,
/// its row is tried again, and the relays' publisher leaves the dead connection for a new one. Without both, 2 runs in
/// 3 left thousands of rows unsent; batches of 500 make a publish in flight at the restart near certain.
/// </summary>
[Collection(nameof(BrokerRestartAlone))]
public sealed class When_the_broker_restarts_while_a_relay_publishes(ITestOutputHelper output)
{
    [Fact]
    public async Task Should_publish_every_row_afterwards()
    {
        await using var broker = await RabbitMqServer.StartAsync(RepoPaths.ServerWork("broker-restart"));
        var amqp = await broker.CreateVirtualHostAsync("relay");
        await using var outbox = await OutboxUnderTest.StartAsync(
            "PostgreSql", MessagingSettings.Default with { BatchSize = 500, PublishTimeout = TimeSpan.FromSeconds(5) }, amqp);
        var written = await outbox.WriteAsync(10000);
        var relay = await outbox.RelayAsync(logger: new OutputLogger<OutboxRelay<StepTestModule>>(output));
        await relay.StartAsync(CancellationToken.None);
        try
        {
            await WaitForAsync(async () => await UnsentAsync(outbox) < 9000, TimeSpan.FromSeconds(60), "the relay to publish 1000 rows");
            await broker.RestartAppAsync();
            await WaitForAsync(async () => await UnsentAsync(outbox) == 0, TimeSpan.FromSeconds(120),
                "every row to be marked sent after the broker came back", () => StateAsync(outbox));
        }
        finally
        {
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await relay.StopAsync(stopping.Token);
        }

        await outbox.SettledAsync();
        Assert.Equal(written.Order(), outbox.Received.Keys.Order());
    }

    private static Task<long> UnsentAsync(OutboxUnderTest outbox) =>
        outbox.ScalarAsync("SELECT COUNT(*) FROM outbox_messages WHERE sent_at IS NULL");

    /// <summary>The unsent rows as the relay left them: claimed or not, tried how often, and the last error.</summary>
    private static async Task<string> StateAsync(OutboxUnderTest outbox)
    {
        var unsent = await UnsentAsync(outbox);
        var claimed = await outbox.ScalarAsync("SELECT COUNT(*) FROM outbox_messages WHERE sent_at IS NULL AND claimed_by IS NOT NULL");
        var tried = await outbox.ScalarAsync("SELECT COALESCE(MAX(attempts), 0) FROM outbox_messages WHERE sent_at IS NULL");
        var error = await outbox.TextAsync("SELECT MAX(last_error) FROM outbox_messages WHERE sent_at IS NULL");
        return $"{unsent} unsent, {claimed} of them claimed, tried up to {tried} times; last error: {error ?? "none"}";
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, Func<Task<string>>? state = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {timeout.TotalSeconds:0} s for {what}." + (state is null ? "" : " " + await state()));
            }

            await Task.Delay(100);
        }
    }
}

/// <summary>What a component logs at Information or above, in the test's output (shown when it fails).</summary>
public sealed class OutputLogger<T>(ITestOutputHelper output) : ILogger<T>
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel}: {formatter(state, exception)}{(exception is null ? "" : " | " + exception.Message)}");
        }
    }
}

[CollectionDefinition(nameof(BrokerRestartAlone), DisableParallelization = true)]
public sealed class BrokerRestartAlone;
