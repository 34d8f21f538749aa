using System.Text.RegularExpressions;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Permits.Shared.Data;
using Permits.Shared.Messaging;
using Permits.Testing;

namespace Permits.Shared.Tests;

/// <summary>
/// The inbox remembers the message, not the consumer class: a consumer renamed between two deliveries of one message
/// does not run its effect again, and rows recorded before message names still count for the class that wrote them.
/// </summary>
public sealed partial class When_a_consumer_is_renamed_between_deliveries
{
    public static TheoryData<string> Providers => new() { "PostgreSql", "Sqlite" };

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Should_not_run_the_effect_again(string provider)
    {
        await using var outbox = await OutboxUnderTest.StartAsync(provider);
        var messageId = Guid.NewGuid();

        await DeliverAsync(() => new ProbeConsumer(outbox.Database), messageId);
        await DeliverAsync(() => new RenamedProbeConsumer(outbox.Database), messageId);
        await DeliverAsync(() => new RenamedProbeConsumer(outbox.Database), Guid.NewGuid());

        Assert.Equal(2, await outbox.ScalarAsync("SELECT value FROM counters WHERE name = 'probe-effects'"));
        Assert.Equal(1, await outbox.ScalarAsync(
            "SELECT COUNT(*) FROM inbox_messages WHERE message_id = @Id AND message_name = @Name",
            new { Id = messageId, Name = MessageNames.Of(typeof(OutboxProbe)) }));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Should_count_a_row_recorded_before_message_names_for_its_consumer(string provider)
    {
        await using var outbox = await OutboxUnderTest.StartAsync(provider);
        var messageId = Guid.NewGuid();
        await outbox.ExecuteAsync(
            "INSERT INTO inbox_messages (message_id, consumer, received_at) VALUES (@Id, 'ProbeConsumer', @At)",
            new { Id = messageId, At = DateTimeOffset.UtcNow });

        await DeliverAsync(() => new ProbeConsumer(outbox.Database), messageId);

        Assert.Equal(0, await outbox.ScalarAsync("SELECT COUNT(*) FROM counters WHERE name = 'probe-effects'"));
    }

    [Fact]
    public void Should_refuse_a_second_inbox_consumer_of_one_message_in_one_service()
    {
        var builder = WebApplication.CreateBuilder();
        builder.AddConsumers<StepTestModule>(consumers => consumers.Add<ProbeConsumer>().Add<RenamedProbeConsumer>());

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddPermitsBus());
        Assert.Contains(nameof(RenamedProbeConsumer), error.Message);
    }

    /// <summary>The migration named every inbox row of the consumers there were: each name must be the one code uses now.</summary>
    [Fact]
    public void Should_have_named_the_rows_of_every_consumer_of_before_as_code_names_its_message()
    {
        var consumers = new[]
            {
                typeof(Permits.Intake.IntakeModule), typeof(Permits.Review.ReviewModule), typeof(Permits.Certificate.CertificateModule),
                typeof(Permits.Delivery.DeliveryModule), typeof(Permits.Disclosure.DisclosureModule), typeof(Permits.Identity.IdentityModule),
            }
            .SelectMany(module => module.Assembly.GetTypes())
            .Where(t => !t.IsAbstract && InboxConsumers.MessageOf(t) is not null)
            .ToList();
        Assert.NotEmpty(consumers);
        foreach (var dialect in Enum.GetNames<SqlDialect>())
        {
            using var stream = typeof(ServiceDatabase<>).Assembly.GetManifestResourceStream($"sql/{dialect}/003_outbox_claims.sql")!;
            var script = new StreamReader(stream).ReadToEnd().Replace("''", "'");
            var mapped = Mapping().Matches(script).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
            Assert.NotEmpty(mapped);
            // Consumers added since have no rows under a class name, so only the mapped names are checked: each is a
            // consumer code still has (a typo would leave its rows unconverted), and every class of that name in any
            // service consumes the message the rows were given.
            foreach (var (consumerName, messageName) in mapped)
            {
                var now = consumers.Where(c => c.Name == consumerName).ToList();
                Assert.True(now.Count > 0, $"{dialect}: {consumerName} is mapped but no consumer has that name");
                Assert.All(now, consumer => Assert.Equal(MessageNames.Of(InboxConsumers.MessageOf(consumer)!), messageName));
            }
        }
    }

    /// <summary>Delivers one message, with the given id, to a consumer on an in-memory bus; returns once it is consumed.</summary>
    private static async Task DeliverAsync<TConsumer>(Func<TConsumer> consumer, Guid messageId) where TConsumer : class, IConsumer
    {
        var faults = new ConsumerFaults();
        var bus = Bus.Factory.CreateUsingInMemory(cfg => cfg.ReceiveEndpoint("probes", e => e.Consumer(consumer)));
        bus.ConnectConsumeObserver(faults);
        await bus.StartAsync();
        try
        {
            var consumed = faults.ConsumedAsync(messageId);
            await bus.Publish(new OutboxProbe(1), c => c.MessageId = messageId);
            await consumed.WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    [GeneratedRegex(@"WHEN '(\w+)' THEN '([^']+)'")]
    private static partial Regex Mapping();

    private sealed class ProbeConsumer(ServiceDatabase<StepTestModule> database)
        : InboxConsumer<StepTestModule, OutboxProbe>(database, NullLogger.Instance)
    {
        protected override Task HandleAsync(OutboxProbe message, DbSession session, CancellationToken cancellationToken) =>
            Counters.NextAsync(session, "probe-effects");
    }

    /// <summary>The same consumer after a rename.</summary>
    private sealed class RenamedProbeConsumer(ServiceDatabase<StepTestModule> database)
        : InboxConsumer<StepTestModule, OutboxProbe>(database, NullLogger.Instance)
    {
        protected override Task HandleAsync(OutboxProbe message, DbSession session, CancellationToken cancellationToken) =>
            Counters.NextAsync(session, "probe-effects");
    }
}
