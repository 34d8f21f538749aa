using Permits.Delivery.Features;
using Permits.Delivery.Workers;
using Permits.FakeCourier;
using Permits.Testing;

namespace Permits.Delivery.Tests;

/// <summary>Each fault of the fake courier switched on in turn, while three licences go out by courier.</summary>
public sealed class When_the_courier_misbehaves
{
    private const int Licences = 3;

    public static TheoryData<string> Faults() =>
    [
        "none", "slow answers", "timeouts", "server errors", "lost booking answers", "outage",
        "duplicate webhooks", "out-of-order events", "no webhooks",
    ];

    /// <summary>The fault, and how long it stays on (null: for the whole test).</summary>
    private static (CourierFaults Faults, TimeSpan? For) Switch(string fault) => fault switch
    {
        "none" => (new CourierFaults(), null),
        // Slower than usual but within the 400 ms attempt timeout.
        "slow answers" => (new CourierFaults { SlowMs = 150 }, null),
        // Slower than the attempt timeout: every call times out until the fault is switched off.
        "timeouts" => (new CourierFaults { SlowMs = 1500 }, TimeSpan.FromSeconds(3)),
        "server errors" => (new CourierFaults { ServerErrors = 5 }, null),
        // Booked at the courier, but the answer is lost: a retry must get the same waybill, never a second booking.
        "lost booking answers" => (new CourierFaults { LoseBookingAnswers = Licences }, null),
        "outage" => (new CourierFaults { Outage = true }, TimeSpan.FromSeconds(3)),
        "duplicate webhooks" => (new CourierFaults { DuplicateWebhooks = true }, null),
        "out-of-order events" => (new CourierFaults { OutOfOrderEvents = true }, null),
        "no webhooks" => (new CourierFaults { DropWebhooks = true }, null),
        _ => throw new ArgumentOutOfRangeException(nameof(fault), fault, null),
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task Should_book_each_licence_once_and_deliver_it_once_with_every_event_in_order(string fault)
    {
        var (faults, duration) = Switch(fault);
        // Mostly a long polling interval, so the webhooks carry the tracking (polling still catches gaps); fast polling
        // where it must carry it alone, and where webhooks and polls should race to apply the same events.
        var trackingPollMs = fault is "no webhooks" or "none" or "duplicate webhooks" ? 100 : 1500;
        await using var host = await DeliveryHost.StartAsync(trackingPollMs, faults: faults);

        var applications = new List<Guid>();
        for (var i = 0; i < Licences; i++)
        {
            applications.Add(await host.IssueAsync());
        }

        if (duration is { } on)
        {
            await Task.Delay(on);
            await host.SetFaultsAsync(new CourierFaults());
        }

        foreach (var application in applications)
        {
            var shipment = await host.WaitForStatusAsync(application, "Delivered", seconds: 45);
            Assert.Equal("王小明", shipment.SignedBy);
            Assert.NotNull(shipment.DeliveredAt);
            Assert.NotEmpty(shipment.WaybillNumber);
            var courierEvents = shipment.Events.Where(e => e.Sequence > 0).Select(e => (e.Sequence, e.Status)).ToList();
            Assert.Equal([(1, "PickedUp"), (2, "InTransit"), (3, "Delivered")], courierEvents);
            // 交寄 comes before anything the courier did with the licence, also when the booking's answer was lost and a
            // retry got the first booking back.
            var handedOver = shipment.Events.Single(e => e.Sequence <= 0 && e.Status == "Dispatched").At.ToDateTimeOffset();
            Assert.True(handedOver <= shipment.Events.Where(e => e.Sequence > 0).Min(e => e.At.ToDateTimeOffset()),
                $"handed over at {handedOver:O}, after the courier's first event");
            Assert.Equal(1, await host.OutboxCountAsync("ShipmentDispatched", application));
            Assert.Equal(1, await host.OutboxCountAsync("ShipmentDelivered", application));
            Assert.Equal(2, await host.OutboxCountAsync("ShipmentProgressed", application));
            Assert.Equal(1, await host.DisclosureCountAsync("shipment-dispatched", application));
            Assert.Equal(1, await host.DisclosureCountAsync("shipment-delivered", application));
        }

        var stats = await host.CourierStatsAsync();
        Assert.Equal(Licences, stats.Shipments);
        var waybills = await host.QueryAsync<string>("SELECT waybill_number FROM shipments");
        Assert.Equal(Licences, waybills.Distinct().Count());
        if (fault is "server errors" or "lost booking answers" or "outage")
        {
            Assert.True(stats.FaultedRequests > 0, $"the fault {fault} was never hit");
        }

        if (fault is "timeouts" or "outage")
        {
            // The courier answers timeouts with nothing to count: the failed booking attempts show they happened.
            Assert.True(await host.ScalarAsync("SELECT COALESCE(SUM(attempts), 0) FROM shipments") > 0, $"no booking failed during {fault}");
        }

        if (fault is "duplicate webhooks" or "out-of-order events")
        {
            Assert.True(stats.WebhooksSent >= Licences * 3, $"only {stats.WebhooksSent} webhooks were sent");
        }
    }
}

public sealed class When_the_courier_is_down
{
    [Fact]
    public async Task Should_open_the_breaker_keep_the_licence_waiting_and_recover_when_the_courier_is_back()
    {
        await using var host = await DeliveryHost.StartAsync(faults: new CourierFaults { Outage = true });
        var application = await host.IssueAsync();

        await Eventually.TrueAsync(() => Task.FromResult(host.Circuit.TimesOpened > 0), TimeSpan.FromSeconds(20), "the breaker to open");
        var pending = await host.GetAsync(application);
        Assert.Equal("PendingBooking", pending.Status);

        await host.SetFaultsAsync(new CourierFaults());
        await host.WaitForStatusAsync(application, "Delivered", seconds: 30);
        Assert.True(host.Circuit.TimesClosed > 0, "the breaker never closed again");
        Assert.Equal(1, (await host.CourierStatsAsync()).Shipments);
    }
}

/// <summary>
/// What a courier worker waits after each pass, pass by pass: the pauses themselves, no clock (the polling loop
/// waits exactly what it is given).
/// </summary>
public sealed class When_the_courier_stays_unavailable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    private static readonly DeliverySettings Settings =
        new(Poll, Poll, RetryBase: TimeSpan.FromMilliseconds(100), RetryMax: TimeSpan.FromMilliseconds(3200));

    private static readonly CourierPass Unavailable = new(Taken: 1, CourierUnavailable: true);

    [Fact]
    public void Should_pause_longer_after_each_unavailable_pass_up_to_the_cap()
    {
        var pauses = new CourierPauses(Poll, Settings);

        var waits = Enumerable.Range(0, 8).Select(_ => pauses.After(Unavailable)).ToList();

        // Doubling beats the ±20 % jitter: each pause is longer than the one before, until the cap holds them.
        for (var i = 1; i <= 5; i++)
        {
            Assert.True(waits[i] > waits[i - 1], $"pause {i + 1} ({waits[i]}) is not longer than pause {i} ({waits[i - 1]})");
        }

        Assert.True(waits[0] >= TimeSpan.FromMilliseconds(80), $"the first pause ({waits[0]}) is shorter than the retry base allows");
        Assert.Equal([Settings.RetryMax, Settings.RetryMax], waits[6..]);
    }

    [Fact]
    public void Should_poll_at_the_usual_pace_again_once_the_courier_answers()
    {
        var pauses = new CourierPauses(Poll, Settings);
        pauses.After(Unavailable);
        pauses.After(Unavailable);

        Assert.Equal(Poll, pauses.After(new CourierPass(Taken: 1, CourierUnavailable: false)));
        Assert.Equal(TimeSpan.Zero, pauses.After(new CourierPass(Taken: DeliverySettings.BatchSize, CourierUnavailable: false)));
        // The outage count starts again: the next unavailable pass pauses as briefly as the first did.
        Assert.True(pauses.After(Unavailable) <= TimeSpan.FromMilliseconds(120));
    }
}
