using System.Text.Json;
using Dapper;
using Grpc.Core;
using MassTransit;
using Permits.Contracts.Review.V1;
using Permits.Testing;

namespace Permits.EndToEnd.Tests;

public sealed partial class When_a_licence_travels_the_distributed_system(DistributedSystemFixture fixture)
    : IClassFixture<DistributedSystemFixture>
{
    [Fact]
    public Task Should_deliver_two_licences_with_consecutive_numbers_and_a_record_per_step() =>
        JourneyAssertions.Should_deliver_two_licences_with_consecutive_numbers_and_a_record_per_step(fixture.Journey);

    [Fact]
    public async Task Should_change_nothing_when_every_event_is_delivered_again()
    {
        await fixture.Journey.TravelAsync(SampleApplications.Enterprise());
        await WaitForQuietAsync();
        var before = await fixture.SnapshotAsync();

        var republished = await RepublishEverythingAsync();
        await WaitForQuietAsync();
        var after = await fixture.SnapshotAsync();

        Assert.True(republished >= 12, $"expected at least the 12 messages of one journey, republished {republished}");
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Should_publish_after_a_restart_what_the_outbox_held_when_the_relay_stopped()
    {
        // Intake commits the application and its messages, but its relay is down: nothing reaches the broker.
        await fixture.System.RestartAsync("Intake", new Dictionary<string, string> { ["Outbox__RelayEnabled"] = "false" });
        var submitted = await fixture.Journey.SubmitAsync(SampleApplications.Individual("330421"));
        Assert.True(await UnsentAsync("Intake") >= 2);

        // Nothing else is on its way to Review: every queue empty and every other outbox relayed. The held messages
        // are still unsent, so whatever Review knows, it did not learn from them.
        await WaitForQuietAsync(except: "Intake");
        Assert.True(await UnsentAsync("Intake") >= 2);
        var jiashanHead = await fixture.Journey.Officers.AsAsync("330421", "head");
        var notYet = await Assert.ThrowsAsync<RpcException>(() =>
            fixture.Journey.Review.GetCaseAsync(new GetCaseRequest { ApplicationId = submitted.ApplicationId }, jiashanHead).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, notYet.StatusCode);

        // The process dies and comes back with its relay: the held messages go out, and the case completes.
        await fixture.System.RestartAsync("Intake", new Dictionary<string, string> { ["Outbox__RelayEnabled"] = "true" });
        var reviewCase = await fixture.Journey.WaitForCaseAsync(submitted.ApplicationId, "330421");
        await fixture.Journey.Review.AcceptAsync(LicenceJourney.Act(reviewCase), await fixture.Journey.Officers.AsAsync("330421", "clerk"));
        await fixture.Journey.DecideAsync(reviewCase);
        var delivered = await fixture.Journey.WaitForStatusAsync(submitted.ApplicationId, "Delivered");
        Assert.StartsWith("3304211", delivered.LicenceNumber);
    }

    /// <summary>Publishes every message every service ever sent again, with its original MessageId.</summary>
    private Task<int> RepublishEverythingAsync() => OnBusAsync(async bus =>
    {
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var count = 0;
        foreach (var service in DistributedSystemFixture.BackEnd)
        {
            await using var connection = fixture.OpenDatabase(service);
            var rows = await connection.QueryAsync<(Guid MessageId, string MessageType, string Body)>(
                "SELECT message_id, message_type, body FROM outbox_messages WHERE sent_at IS NOT NULL ORDER BY sequence");
            foreach (var row in rows)
            {
                var type = Type.GetType(row.MessageType, throwOnError: true)!;
                var message = JsonSerializer.Deserialize(row.Body, type, json)!;
                await bus.Publish(message, type, context => context.MessageId = row.MessageId);
                count++;
            }
        }

        return count;
    });

    /// <summary>Runs <paramref name="work"/> on a bus of the test's own on the system's RabbitMQ virtual host.</summary>
    private async Task<T> OnBusAsync<T>(Func<IBus, Task<T>> work)
    {
        var uri = new Uri(fixture.RabbitMqUri);
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host(uri.Host, (ushort)uri.Port,
            Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')), host =>
            {
                host.Username("guest");
                host.Password("guest");
            }));
        await bus.StartAsync();
        try
        {
            return await work(bus);
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    /// <summary>
    /// Waits until the system is quiet: no queue holds a message (ready or in flight) and no outbox (but that of
    /// <paramref name="except"/>) holds an unsent one, several checks in a row. A consumer that is still working
    /// has its message in flight; one that just finished has its messages in its outbox: so nothing is left to happen.
    /// </summary>
    private async Task WaitForQuietAsync(string? except = null)
    {
        var quiet = 0;
        await Eventually.TrueAsync(async () =>
        {
            var still = await fixture.PendingMessagesAsync();
            foreach (var service in DistributedSystemFixture.BackEnd.Where(s => s != except))
            {
                still += await UnsentAsync(service);
            }

            quiet = still == 0 ? quiet + 1 : 0;
            return quiet >= 3;
        }, TimeSpan.FromSeconds(90), "every queue and outbox to drain");
    }

    private async Task<long> UnsentAsync(string service)
    {
        await using var connection = fixture.OpenDatabase(service);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox_messages WHERE sent_at IS NULL");
    }
}
