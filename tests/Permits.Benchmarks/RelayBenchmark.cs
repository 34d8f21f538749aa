using System.Diagnostics;
using Dapper;
using MassTransit;
using Microsoft.Extensions.Logging.Abstractions;
using Permits.Contracts.Disclosure;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Messaging;
using Permits.Testing;

namespace Permits.Benchmarks;

/// <summary>
/// The outbox relay on PostgreSQL and RabbitMQ (durable queue, publisher confirms, a consumer draining it): how many
/// messages a second leave an outbox filled in advance. First the relay as it was (one publish awaited at a time, one
/// UPDATE a row), then the claiming relay (a batch published at once, confirms awaited together, one UPDATE a batch),
/// alone and as two replicas.
/// </summary>
public static class RelayBenchmark
{
    private const string PendingSql = """
        SELECT sequence AS Sequence, message_id AS MessageId, body AS Body FROM outbox_messages
        WHERE sent_at IS NULL ORDER BY sequence LIMIT 100
        """;

    public static async Task RunAsync(int messages)
    {
        var servers = await TestServers.GetAsync();
        var amqp = await servers.NewVirtualHostAsync("relay-bench");
        Console.WriteLine($"Relay benchmark: {messages} disclosure records an outbox, PostgreSQL + RabbitMQ on loopback, " +
            $"{Environment.ProcessorCount} CPUs (load average {LoadAverage()})");
        var consumer = TestBus.RabbitMq(amqp, cfg => cfg.ReceiveEndpoint("relay-bench", e => e.Handler<DisclosureRecorded>(_ => Task.CompletedTask)));
        await consumer.StartAsync();
        try
        {
            var before = await FilledAsync(servers, messages);
            var publisher = TestBus.RabbitMq(amqp);
            await publisher.StartAsync();
            var clock = Stopwatch.StartNew();
            await OneAtATimeAsync(before, publisher);
            Print("before: one publish confirmed at a time, one UPDATE a row", messages, clock.Elapsed);
            await publisher.StopAsync();

            foreach (var replicas in new[] { 1, 2 })
            {
                var outbox = await FilledAsync(servers, messages);
                var relays = new List<OutboxRelay<RelayBenchModule>>();
                var publishers = new List<RabbitMqOutboxPublisher>();
                for (var i = 0; i < replicas; i++)
                {
                    // As a replica publishes: a connection of the relays' own.
                    var replica = new RabbitMqOutboxPublisher(new Uri(amqp), TimeProvider.System, NullLogger<RabbitMqOutboxPublisher>.Instance);
                    publishers.Add(replica);
                    relays.Add(new OutboxRelay<RelayBenchModule>(outbox, new OutboxSignal<RelayBenchModule>(), replica,
                        new RelaySettings(true, TimeSpan.FromSeconds(1)), MessagingSettings.Default, TimeProvider.System,
                        NullLogger<OutboxRelay<RelayBenchModule>>.Instance));
                }

                clock.Restart();
                await Task.WhenAll(relays.Select(async relay =>
                {
                    while (await relay.PublishPendingAsync(CancellationToken.None) > 0)
                    {
                    }
                }));
                Print($"after: claimed batches of {MessagingSettings.Default.BatchSize}, confirms together, {replicas} relay(s)",
                    messages, clock.Elapsed);
                foreach (var replica in publishers)
                {
                    await replica.DisposeAsync();
                }
            }
        }
        finally
        {
            await consumer.StopAsync();
        }
    }

    /// <summary>The relay of before, step for step: read 100 pending rows, then publish and mark each in turn.</summary>
    private static async Task OneAtATimeAsync(ServiceDatabase<RelayBenchModule> database, IBus bus)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        while (true)
        {
            var rows = (await connection.QueryAsync<(long Sequence, Guid MessageId, string Body)>(PendingSql)).AsList();
            if (rows.Count == 0)
            {
                return;
            }

            foreach (var row in rows)
            {
                var message = System.Text.Json.JsonSerializer.Deserialize<DisclosureRecorded>(row.Body, OutboxJsonOptions)!;
                await bus.Publish(message, typeof(DisclosureRecorded), Pipe.Execute<PublishContext>(c => c.MessageId = row.MessageId));
                await connection.ExecuteAsync(
                    "UPDATE outbox_messages SET sent_at = @SentAt WHERE sequence = @Sequence", new { SentAt = DateTimeOffset.UtcNow, row.Sequence });
            }
        }
    }

    private static readonly System.Text.Json.JsonSerializerOptions OutboxJsonOptions = new(System.Text.Json.JsonSerializerDefaults.Web);

    /// <summary>A fresh outbox holding <paramref name="messages"/> records, committed ten a transaction.</summary>
    private static async Task<ServiceDatabase<RelayBenchModule>> FilledAsync(TestServers servers, int messages)
    {
        DbTypeHandlers.Register();
        var database = new ServiceDatabase<RelayBenchModule>(
            new DatabaseOptions(SqlDialect.PostgreSql, await servers.NewDatabaseAsync("relay_bench"), false),
            new OutboxSignal<RelayBenchModule>());
        await new SchemaMigrator<RelayBenchModule>(database, NullLogger<SchemaMigrator<RelayBenchModule>>.Instance)
            .MigrateAsync(CancellationToken.None);
        var county = new County("330424", "海盐县", "33", "海盐县烟草专卖局", "11330424002583123X", "盐烟专许", "海盐县");
        for (var i = 0; i < messages; i += 10)
        {
            await using var session = await database.BeginAsync(CancellationToken.None);
            for (var j = i; j < Math.Min(messages, i + 10); j++)
            {
                await session.DiscloseAsync(Disclosures.For(DisclosureKinds.ApplicationAccepted, Guid.NewGuid(), $"YC{j:D8}", county,
                    DateTimeOffset.UtcNow, $"海盐县烟草专卖局 第 {j} 条", new Dictionary<string, string> { ["XK_XDR_MC"] = $"便利店{j}" }));
            }

            await session.CommitAsync(CancellationToken.None);
        }

        return database;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    private static void Print(string what, long count, TimeSpan elapsed) =>
        Console.WriteLine($"  {what,-72} {count,7} messages in {elapsed.TotalSeconds,7:F2} s = {count / Math.Max(elapsed.TotalSeconds, 1e-6),8:F0} msg/s");

    private sealed class RelayBenchModule : IServiceModule
    {
        public static string Name => "RelayBench";
    }
}
