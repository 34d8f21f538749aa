using Microsoft.Extensions.DependencyInjection;
using Permits.Contracts.Disclosure;
using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Review.Tests;

/// <summary>
/// Two replicas of Review on one database and one broker, both relays running, both committing to the shared outbox
/// at once: a consumer on the broker receives every message exactly once.
/// </summary>
public sealed class When_two_review_replicas_share_one_outbox
{
    private const int PerReplica = 200;

    [Fact]
    public async Task Should_put_every_message_on_the_wire_once()
    {
        var servers = await TestServers.GetAsync();
        var database = await ReviewHost.NewDatabaseAsync("PostgreSql");
        var amqp = await servers.NewVirtualHostAsync("review-replicas");
        await using var identity = await IdentityServer.StartAsync();
        await using var counter = await BrokerCounter<DisclosureRecorded>.StartAsync(amqp, "replica-count");
        await using var first = await Replica.StartAsync(database, amqp, identity.GrpcUrl);
        await using var second = await Replica.StartAsync(database, amqp, identity.GrpcUrl);

        var written = (await Task.WhenAll(first.DiscloseAsync(0), second.DiscloseAsync(PerReplica))).SelectMany(ids => ids).ToList();
        await first.WaitUntilAsync(
            async () => await first.ScalarAsync<long>("SELECT COUNT(*) FROM outbox_messages WHERE sent_at IS NULL") == 0,
            "both relays to have sent the whole outbox", seconds: 120);
        await counter.SettledAsync(Replica.Record(-1));

        Assert.Equal(written.Order(), counter.Received.Keys.Order());
        Assert.All(counter.Received, r => Assert.Equal(1, r.Value));
    }

    /// <summary>A Review replica with its relay on, on a given database and virtual host.</summary>
    private sealed class Replica : ServiceHost
    {
        private static readonly County Haiyan = new("330424", "海盐县", "33", "海盐县烟草专卖局", "11330424002583123X", "盐烟专许", "海盐县");

        private Replica(string connectionString)
            : base("review", "PostgreSql", connectionString)
        {
        }

        public static async Task<Replica> StartAsync(string connectionString, string amqp, string identityUrl)
        {
            var replica = new Replica(connectionString);
            await replica.StartAsync(new ServiceSetup
            {
                RabbitMq = true,
                Relay = true,
                Settings =
                {
                    ["ConnectionStrings:RabbitMq"] = amqp,
                    ["Review:Deadlines:Enabled"] = "false",
                    ["Services:Identity:Url"] = identityUrl,
                },
                Add = builder => builder.AddReviewService(),
                Map = app => app.MapReviewService(),
            });
            return replica;
        }

        public static DisclosureRecorded Record(int number) =>
            Disclosures.For(DisclosureKinds.ApplicationAccepted, Guid.NewGuid(), $"YC{number:D8}", Haiyan, DateTimeOffset.UtcNow, $"第 {number} 条");

        /// <summary>Commits disclosure records to the outbox, two a transaction, as Review's steps do.</summary>
        public async Task<IReadOnlyList<Guid>> DiscloseAsync(int from)
        {
            var database = Services.GetRequiredService<ServiceDatabase<ReviewModule>>();
            var ids = new List<Guid>();
            for (var i = from; i < from + PerReplica; i += 2)
            {
                await using var session = await database.BeginAsync(CancellationToken.None);
                for (var j = i; j < i + 2; j++)
                {
                    var record = Record(j);
                    await session.DiscloseAsync(record);
                    ids.Add(record.RecordId);
                }

                await session.CommitAsync(CancellationToken.None);
            }

            return ids;
        }
    }
}
