using Microsoft.Extensions.Logging.Abstractions;
using Permits.Shared.Messaging;
using Permits.Testing;

namespace Permits.Shared.Tests;

/// <summary>Pruning keeps what is unsent or recent and deletes the rest in bounded batches.</summary>
public sealed class When_the_outbox_and_inbox_are_pruned
{
    public static TheoryData<string> Providers => new() { "PostgreSql", "Sqlite" };

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Should_delete_only_rows_sent_or_received_before_their_retention(string provider)
    {
        var settings = MessagingSettings.Default with { PruneBatchSize = 2 };
        await using var outbox = await OutboxUnderTest.StartAsync(provider, settings);
        var time = new ManualTime(DateTimeOffset.UtcNow);
        var relay = await outbox.RelayAsync(time);
        var old = await outbox.WriteAsync(5);
        await OutboxUnderTest.DrainAsync(relay);
        time.Advance(TimeSpan.FromDays(5));
        var recent = await outbox.WriteAsync(3, from: 5);
        await OutboxUnderTest.DrainAsync(relay);
        var unsent = await outbox.WriteAsync(2, from: 8);
        time.Advance(TimeSpan.FromDays(2) + TimeSpan.FromHours(1));

        var now = DateTimeOffset.UtcNow;
        await outbox.ExecuteAsync(
            "INSERT INTO inbox_messages (message_id, message_name, consumer, received_at) VALUES (@Id, 'urn:message:Old:Probe', 'ProbeConsumer', @At)",
            new[]
            {
                new { Id = Guid.NewGuid(), At = now - settings.InboxRetention - TimeSpan.FromHours(1) },
                new { Id = Guid.NewGuid(), At = now - settings.InboxRetention - TimeSpan.FromHours(2) },
                new { Id = Guid.NewGuid(), At = now - settings.InboxRetention - TimeSpan.FromHours(3) },
                new { Id = Guid.NewGuid(), At = now - settings.InboxRetention + TimeSpan.FromHours(1) },
            });

        var pruner = new OutboxPruner<StepTestModule>(outbox.Database, settings, time, NullLogger<OutboxPruner<StepTestModule>>.Instance);
        var passes = new List<(int Outbox, int Inbox)>();
        for (var pass = 0; pass < 20 && (passes.Count == 0 || passes[^1] != (0, 0)); pass++)
        {
            passes.Add(await pruner.PruneAsync(CancellationToken.None));
        }

        Assert.All(passes, p => Assert.True(p.Outbox <= 2 && p.Inbox <= 2, $"a pass deleted {p}"));
        Assert.Equal(5, passes.Sum(p => p.Outbox));
        Assert.Equal(3, passes.Sum(p => p.Inbox));
        Assert.Equal(recent.Concat(unsent).Order(), await outbox.MessageIdsAsync("SELECT message_id FROM outbox_messages"));
        Assert.Equal(1, await outbox.ScalarAsync("SELECT COUNT(*) FROM inbox_messages"));
    }
}
