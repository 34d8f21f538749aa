using System.Threading.Channels;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Permits.Shared.Messaging;
using Permits.Testing;

namespace Permits.Shared.Tests;

public sealed class QueueProbeModule : IServiceModule
{
    public static string Name => "Probe";
}

public sealed record QueueProbe(Guid Id);

public sealed class QueueProbeConsumer(Channel<QueueProbe> received) : IConsumer<QueueProbe>
{
    public async Task Consume(ConsumeContext<QueueProbe> context) => await received.Writer.WriteAsync(context.Message);
}

/// <summary>The cluster mode asks for quorum queues (replicated); the local modes keep classic ones.</summary>
public sealed class When_the_bus_declares_its_consumer_queues_on_RabbitMq
{
    [Theory]
    [InlineData(true, "quorum")]
    [InlineData(false, "classic")]
    public async Task Should_declare_them_with_the_configured_type_and_deliver_through_them(bool quorum, string expectedType)
    {
        var servers = await TestServers.GetAsync();
        var amqp = await servers.NewVirtualHostAsync("quorum");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Bus:Transport"] = "RabbitMq",
            ["Bus:QuorumQueues"] = quorum ? "true" : "false",
            ["ConnectionStrings:RabbitMq"] = amqp,
        });
        var received = Channel.CreateUnbounded<QueueProbe>();
        builder.Services.AddSingleton(received);
        builder.AddConsumers<QueueProbeModule>(consumers => consumers.Add<QueueProbeConsumer>());
        builder.AddPermitsBus();
        // Publish only once the queue is bound, or the probe goes to an exchange with nothing behind it yet.
        builder.Services.Configure<MassTransitHostOptions>(options => options.WaitUntilStarted = true);
        await using var app = builder.Build();
        await app.StartAsync();
        try
        {
            var probe = new QueueProbe(Guid.NewGuid());
            await app.Services.GetRequiredService<IPublishEndpoint>().Publish(probe);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            Assert.Equal(probe, await received.Reader.ReadAsync(timeout.Token));

            var types = await servers.QueueTypesAsync(amqp);
            Assert.Equal(expectedType, types["probe-queue-probe"]);
        }
        finally
        {
            await app.StopAsync();
        }
    }
}

public sealed record StandByProbe(int Number);

public sealed class StandByProbeConsumer(Channel<QueueProbe> received) : IConsumer<StandByProbe>
{
    public async Task Consume(ConsumeContext<StandByProbe> context) =>
        await received.Writer.WriteAsync(new QueueProbe(Guid.Empty));
}

/// <summary>A log whose order matters is consumed by one replica at a time; the others stand by.</summary>
public sealed class When_two_replicas_share_a_single_active_consumer_queue
{
    [Fact]
    public async Task Should_deliver_every_message_to_one_of_them_only()
    {
        var servers = await TestServers.GetAsync();
        var amqp = await servers.NewVirtualHostAsync("single-active");
        var (first, firstReceived) = await StartAsync(amqp);
        var (second, secondReceived) = await StartAsync(amqp);
        try
        {
            var publisher = first.Services.GetRequiredService<IPublishEndpoint>();
            for (var i = 0; i < 20; i++)
            {
                await publisher.Publish(new StandByProbe(i));
            }

            var counts = await Eventually.GetAsync(
                () => Task.FromResult<int[]?>([firstReceived.Reader.Count, secondReceived.Reader.Count]),
                c => c.Sum() == 20, TimeSpan.FromSeconds(120), "20 probes consumed");
            Assert.Contains(0, counts);
        }
        finally
        {
            await first.StopAsync();
            await second.StopAsync();
            await first.DisposeAsync();
            await second.DisposeAsync();
        }
    }

    private static async Task<(WebApplication App, Channel<QueueProbe> Received)> StartAsync(string amqp)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Bus:Transport"] = "RabbitMq",
            ["ConnectionStrings:RabbitMq"] = amqp,
        });
        var received = Channel.CreateUnbounded<QueueProbe>();
        builder.Services.AddSingleton(received);
        builder.AddConsumers<QueueProbeModule>(consumers => consumers.Add<StandByProbeConsumer>(singleActiveConsumer: true));
        builder.AddPermitsBus();
        builder.Services.Configure<MassTransitHostOptions>(options => options.WaitUntilStarted = true);
        var app = builder.Build();
        await app.StartAsync();
        return (app, received);
    }
}
