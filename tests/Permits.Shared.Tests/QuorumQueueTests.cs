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
