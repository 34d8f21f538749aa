using Permits.Shared.Messaging;
using Permits.Testing;

namespace Permits.Shared.Tests;

/// <summary>
/// Two replicas' relays over one outbox, counted on the real broker: every message leaves exactly once; a replica that
/// dies holding a claim gives its rows up when the lease ends; a row no type can be read from is set aside while the
/// rest flow; rows written with the CLR type names of before still leave.
/// </summary>
public sealed class When_replicas_relay_one_outbox
{
    public static TheoryData<string> Providers => new() { "PostgreSql", "Sqlite" };

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Should_publish_every_message_exactly_once(string provider)
    {
        await using var outbox = await OutboxUnderTest.StartAsync(provider, MessagingSettings.Default with { BatchSize = 20 });
        var written = await outbox.WriteAsync(300);
        var first = await outbox.RelayAsync();
        var second = await outbox.RelayAsync();

        var claimed = await Task.WhenAll(OutboxUnderTest.DrainAsync(first), OutboxUnderTest.DrainAsync(second));
        await outbox.SettledAsync();

        Assert.Equal(written.Count, claimed.Sum());
        Assert.Equal(written.Order(), outbox.Received.Keys.Order());
        Assert.All(outbox.Received, r => Assert.Equal(1, r.Value));
        Assert.Equal(0, await outbox.ScalarAsync("SELECT COUNT(*) FROM outbox_messages WHERE sent_at IS NULL OR claimed_by IS NOT NULL"));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Should_publish_a_dead_replicas_claim_once_its_lease_ends(string provider)
    {
        await using var outbox = await OutboxUnderTest.StartAsync(provider);
        var time = new ManualTime(DateTimeOffset.UtcNow);
        var written = await outbox.WriteAsync(30);
        var dead = await outbox.RelayAsync(time);
        var survivor = await outbox.RelayAsync(time);

        // The replica claims its batch and dies before publishing any of it.
        var held = await dead.ClaimAsync(CancellationToken.None);
        Assert.Equal(written, held.MessageIds);
        Assert.Equal(0, await survivor.PublishPendingAsync(CancellationToken.None));

        time.Advance(outbox.Settings.Lease + TimeSpan.FromSeconds(1));
        Assert.Equal(30, await survivor.PublishPendingAsync(CancellationToken.None));
        await outbox.SettledAsync();

        Assert.Equal(written.Order(), outbox.Received.Keys.Order());
        Assert.All(outbox.Received, r => Assert.Equal(1, r.Value));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Should_set_aside_unreadable_rows_and_publish_the_rest(string provider)
    {
        await using var outbox = await OutboxUnderTest.StartAsync(provider);
        var written = await outbox.WriteAsync(10);
        // A contract renamed without keeping its former name, and a body that is not JSON.
        await outbox.ExecuteAsync(
            "UPDATE outbox_messages SET message_name = 'urn:message:Permits.Contracts.Review:LicenceGranted' WHERE message_id = @Id",
            new { Id = written[2] });
        await outbox.ExecuteAsync("UPDATE outbox_messages SET body = '{not json' WHERE message_id = @Id", new { Id = written[7] });
        var relay = await outbox.RelayAsync();

        Assert.Equal(10, await OutboxUnderTest.DrainAsync(relay));
        await outbox.SettledAsync();

        Assert.Equal(written.Except([written[2], written[7]]).Order(), outbox.Received.Keys.Order());
        var status = await OutboxStatus.ReadAsync(outbox.Database, CancellationToken.None);
        Assert.Equal(new OutboxStatus(0, null, 2), status);
        Assert.Equal(1, await outbox.ScalarAsync(
            "SELECT COUNT(*) FROM outbox_dead_letters WHERE message_id = @Id AND reason LIKE '%LicenceGranted%'", new { Id = written[2] }));
        Assert.Equal(1, await outbox.ScalarAsync(
            "SELECT COUNT(*) FROM outbox_dead_letters WHERE message_id = @Id AND reason LIKE '%does not read as%'", new { Id = written[7] }));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Should_still_publish_rows_written_with_clr_type_names(string provider)
    {
        await using var outbox = await OutboxUnderTest.StartAsync(provider);
        var written = await outbox.WriteAsync(4);
        await outbox.ExecuteAsync(
            "UPDATE outbox_messages SET message_name = NULL, message_type = @Type",
            new { Type = $"{typeof(OutboxProbe).FullName}, {typeof(OutboxProbe).Assembly.GetName().Name}" });
        var relay = await outbox.RelayAsync();

        Assert.Equal(4, await OutboxUnderTest.DrainAsync(relay));
        await outbox.SettledAsync();

        Assert.Equal(written.Order(), outbox.Received.Keys.Order());
        Assert.Equal(0, await outbox.ScalarAsync("SELECT COUNT(*) FROM outbox_dead_letters"));
    }
}

/// <summary>Stable names: the URN consumers bind to, and the CLR names of rows written before it.</summary>
public sealed class When_a_message_name_is_read_back
{
    [Fact]
    public void Should_resolve_contract_names_and_former_clr_names_and_nothing_else()
    {
        var approved = typeof(Permits.Contracts.Review.LicenceApproved);
        Assert.Equal("urn:message:Permits.Contracts.Review:LicenceApproved", MessageNames.Of(approved));
        Assert.Equal(approved, MessageNames.Resolve("urn:message:Permits.Contracts.Review:LicenceApproved"));
        Assert.Equal(approved, MessageNames.Resolve("Permits.Contracts.Review.LicenceApproved, Permits.Contracts"));
        Assert.Equal(approved, MessageNames.Resolve("Permits.Contracts.Review.LicenceApproved, Permits.Contracts, Version=1.0.0.0, Culture=neutral, PublicKeyToken=null"));
        Assert.Null(MessageNames.Resolve("urn:message:Permits.Contracts.Review:LicenceGranted"));
        Assert.Null(MessageNames.Resolve("Permits.Contracts.Review.LicenceGranted, Permits.Contracts"));
        Assert.Null(MessageNames.Resolve("System.IO.File, System.Runtime"));
    }
}
