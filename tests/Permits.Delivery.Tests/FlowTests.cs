using Grpc.Core;
using Permits.Contracts;
using Permits.Contracts.Delivery.V1;
using Microsoft.Extensions.DependencyInjection;
using Permits.Delivery.Features;
using Permits.FakeCourier;

namespace Permits.Delivery.Tests;

public sealed class When_a_courier_delivery_fails
{
    [Fact]
    public async Task Should_redeliver_on_the_officers_word_and_be_served_on_the_second_attempt()
    {
        await using var host = await DeliveryHost.StartAsync(faults: new CourierFaults { FailDeliveries = 1, FailureReason = "收件人不在" });
        var application = await host.IssueAsync();

        var failed = await host.WaitForStatusAsync(application, "DeliveryFailed");
        Assert.Equal("收件人不在", failed.FailureReason);
        Assert.Equal(1, await host.OutboxCountAsync("DeliveryFailed", application));
        Assert.Equal(1, await host.DisclosureCountAsync("delivery-failed", application));

        var redelivering = await host.Client.ResolveFailedDeliveryAsync(new ResolveFailedDeliveryRequest
        {
            ApplicationId = application.ToString(),
            Resolution = FailedDeliveryResolution.Redeliver,
        }, DeliveryHost.AsOfficer());
        Assert.Equal("RedeliveryRequested", redelivering.Status);
        Assert.Equal(2, redelivering.DeliveryAttempts);

        // The same choice again is refused and changes nothing.
        var again = await Assert.ThrowsAsync<RpcException>(() => host.Client.ResolveFailedDeliveryAsync(new ResolveFailedDeliveryRequest
        {
            ApplicationId = application.ToString(),
            Resolution = FailedDeliveryResolution.Redeliver,
        }, DeliveryHost.AsOfficer()).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, again.StatusCode);

        var delivered = await host.WaitForStatusAsync(application, "Delivered");
        Assert.Equal("王小明", delivered.SignedBy);
        Assert.Equal(
            ["PickedUp", "InTransit", "Failed", "InTransit", "Delivered"],
            delivered.Events.Where(e => e.Sequence > 0).OrderBy(e => e.Sequence).Select(e => e.Status));
        Assert.Equal(1, await host.OutboxCountAsync("ShipmentDelivered", application));
        Assert.Equal(1, await host.DisclosureCountAsync("shipment-redelivery", application));
        Assert.Equal(1, await host.DisclosureCountAsync("shipment-delivered", application));
        // Each change of the parcel's state is on the record: picked up once, on its way twice (before and after the
        // failed attempt).
        Assert.Equal(1, await host.DisclosureCountAsync("shipment-picked-up", application));
        Assert.Equal(2, await host.DisclosureCountAsync("shipment-in-transit", application));
        Assert.Equal(1, (await host.CourierStatsAsync()).Shipments);
    }

    [Fact]
    public async Task Should_switch_to_pickup_and_hand_over_at_the_hall_only_with_the_right_code()
    {
        await using var host = await DeliveryHost.StartAsync(faults: new CourierFaults { FailDeliveries = 5 });
        var application = await host.IssueAsync();
        await host.WaitForStatusAsync(application, "DeliveryFailed");

        var returning = await host.Client.ResolveFailedDeliveryAsync(new ResolveFailedDeliveryRequest
        {
            ApplicationId = application.ToString(),
            Resolution = FailedDeliveryResolution.SwitchToPickup,
        }, DeliveryHost.AsOfficer());
        Assert.Equal("Returning", returning.Status);

        var waiting = await host.WaitForStatusAsync(application, "AwaitingPickup");
        Assert.Empty(waiting.PickupCode); // officers are shown the code by the shopkeeper, never by the system
        var code = await host.PickupCodeAsync(application);
        Assert.Matches("^[0-9]{6}$", code);
        Assert.Contains("海盐", waiting.PickupAddress);
        Assert.Equal(1, await host.OutboxCountAsync("ShipmentAwaitingPickup", application));
        Assert.Equal(1, await host.DisclosureCountAsync("shipment-awaiting-pickup", application));
        Assert.Equal(1, await host.DisclosureCountAsync("shipment-switched-to-pickup", application));

        await Should_hand_over_only_with_the_right_code(host, application, code);
    }

    internal static async Task Should_hand_over_only_with_the_right_code(DeliveryHost host, Guid application, string code)
    {
        var wrong = code == "000000" ? "111111" : "000000";
        var before = await host.ScalarAsync("SELECT COUNT(*) FROM outbox_messages");
        var refused = await Assert.ThrowsAsync<RpcException>(() => host.Client.ConfirmPickupAsync(new ConfirmPickupRequest
        {
            ApplicationId = application.ToString(),
            PickupCode = wrong,
            CollectedBy = "王小明",
        }, DeliveryHost.AsOfficer()).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal("取件码不正确，请核对申请人出示的 6 位取件码",
            Assert.Single(refused.GetRpcStatus()!.GetDetail<Google.Rpc.BadRequest>()!.FieldViolations).Description);
        Assert.Equal("AwaitingPickup", (await host.GetAsync(application)).Status);
        Assert.Equal(before, await host.ScalarAsync("SELECT COUNT(*) FROM outbox_messages"));
        Assert.Equal(code, await host.PickupCodeAsync(application));

        var served = await host.Client.ConfirmPickupAsync(new ConfirmPickupRequest
        {
            ApplicationId = application.ToString(),
            PickupCode = code,
            CollectedBy = "王小明",
        }, DeliveryHost.AsOfficer());
        Assert.Equal("Delivered", served.Status);
        Assert.Equal("王小明", served.SignedBy);
        Assert.Empty(served.PickupCode);
        Assert.Contains(DeliveryHost.OfficerSubject(), served.HandedOverBy);
        // Who handed over, and the wrong try before, are in the audit; the code itself is nowhere but in the shipment.
        Assert.Equal(
            [("confirm-pickup", "refused"), ("confirm-pickup", "done")],
            (await host.QueryAsync<(string, string)>(
                "SELECT action, outcome FROM officer_audit WHERE action = 'confirm-pickup' AND officer_id = @Officer AND subject_id = @Shipment ORDER BY occurred_at",
                new { Officer = DeliveryHost.OfficerSubject(), Shipment = served.ShipmentId })).ToList());
        Assert.Equal(0, await host.ScalarAsync(
            "SELECT COUNT(*) FROM outbox_messages WHERE body LIKE @Code", new { Code = $"%{code}%" }));
        Assert.Equal(0, await host.ScalarAsync(
            "SELECT COUNT(*) FROM officer_audit WHERE detail LIKE @Code", new { Code = $"%{code}%" }));
        Assert.Null(await host.PickupCodeOrNullAsync(application));
        Assert.NotNull(served.DeliveredAt);
        Assert.Equal(1, await host.OutboxCountAsync("ShipmentDelivered", application));
        Assert.Equal(1, await host.DisclosureCountAsync("shipment-delivered", application));
        Assert.Equal(0, await host.ScalarAsync(
            "SELECT COUNT(*) FROM outbox_messages WHERE body LIKE '%王小明%' AND message_type LIKE 'Permits.Contracts.Disclosure.%'"));

        var twice = await Assert.ThrowsAsync<RpcException>(() => host.Client.ConfirmPickupAsync(new ConfirmPickupRequest
        {
            ApplicationId = application.ToString(),
            PickupCode = code,
            CollectedBy = "王小明",
        }, DeliveryHost.AsOfficer()).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, twice.StatusCode);
    }
}

public sealed class When_the_courier_is_down_as_an_officer_resolves_a_failed_delivery
{
    [Fact]
    public async Task Should_answer_unavailable_change_nothing_and_work_once_the_courier_is_back()
    {
        await using var host = await DeliveryHost.StartAsync(faults: new CourierFaults { FailDeliveries = 1 });
        var application = await host.IssueAsync();
        await host.WaitForStatusAsync(application, "DeliveryFailed");
        await host.SetFaultsAsync(new CourierFaults { Outage = true });
        var before = await host.ScalarAsync("SELECT COUNT(*) FROM outbox_messages");
        var request = new ResolveFailedDeliveryRequest
        {
            ApplicationId = application.ToString(),
            Resolution = FailedDeliveryResolution.Redeliver,
        };

        var error = await Assert.ThrowsAsync<RpcException>(
            () => host.Client.ResolveFailedDeliveryAsync(request, DeliveryHost.AsOfficer()).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        var unchanged = await host.GetAsync(application);
        Assert.Equal("DeliveryFailed", unchanged.Status);
        Assert.Equal(1, unchanged.DeliveryAttempts);
        Assert.Equal(before, await host.ScalarAsync("SELECT COUNT(*) FROM outbox_messages"));

        await host.SetFaultsAsync(new CourierFaults());
        var resolved = await Permits.Testing.Eventually.GetAsync(
            async () =>
            {
                try
                {
                    return await host.Client.ResolveFailedDeliveryAsync(request, DeliveryHost.AsOfficer());
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
                {
                    return null; // the breaker may still be open for a moment
                }
            },
            _ => true, TimeSpan.FromSeconds(15), "the redelivery to be accepted once the courier is back");
        Assert.Equal("RedeliveryRequested", resolved.Status);
        await host.WaitForStatusAsync(application, "Delivered");
    }
}

public sealed class When_the_shopkeeper_chose_pickup
{
    [Fact]
    public async Task Should_wait_at_the_hall_with_a_code_and_be_served_on_hand_over()
    {
        await using var host = await DeliveryHost.StartAsync();
        var application = await host.IssueAsync(DeliveryMethod.Pickup);

        var waiting = await host.WaitForStatusAsync(application, "AwaitingPickup");
        Assert.Equal("Pickup", waiting.Method);
        Assert.Equal(1, await host.DisclosureCountAsync("shipment-awaiting-pickup", application));
        await When_a_courier_delivery_fails.Should_hand_over_only_with_the_right_code(host, application, await host.PickupCodeAsync(application));
        Assert.Equal(0, (await host.CourierStatsAsync()).Shipments);
    }
}

public sealed class When_the_service_limit_passes
{
    [Fact]
    public async Task Should_flag_the_shipment_late_once_and_tell_the_county()
    {
        await using var host = await DeliveryHost.StartAsync();
        var late = await host.IssueAsync(DeliveryMethod.Pickup, issuedAt: DateTimeOffset.UtcNow.AddDays(-40));
        var inTime = await host.IssueAsync(DeliveryMethod.Pickup);

        await Permits.Testing.Eventually.TrueAsync(
            async () => (await host.GetAsync(late)).Late, TimeSpan.FromSeconds(20), "the old shipment to be flagged late");
        // One more whole pass, run here so it has surely finished: it flags nothing again, and not the one in time.
        Assert.Equal(0, await host.Services.GetRequiredService<FlagLateShipments>().RunOnceAsync(CancellationToken.None));

        Assert.Equal(1, await host.OutboxCountAsync("ShipmentLate", late));
        Assert.False((await host.GetAsync(inTime)).Late);
        Assert.Equal(0, await host.OutboxCountAsync("ShipmentLate", inTime));
        Assert.False((await host.GetAsync(late)).ServiceDueProvisional);
    }

    [Fact]
    public async Task Should_store_that_a_limit_beyond_the_published_holidays_is_provisional()
    {
        await using var host = await DeliveryHost.StartAsync();
        var future = await host.IssueAsync(DeliveryMethod.Pickup, issuedAt: new DateTimeOffset(2040, 3, 2, 2, 0, 0, TimeSpan.Zero));

        var shipment = await host.WaitForStatusAsync(future, "AwaitingPickup");

        Assert.True(shipment.ServiceDueProvisional);
        Assert.Equal("2040-03-16", shipment.ServiceDueBy);
        Assert.False(shipment.Late);
    }
}

/// <summary>
/// The service limit counts from the 准予 decision's China date (ServiceClock, the rule Review counts by), not from when
/// the licence was issued: a decision at 23:30 on a Thursday and a licence issued at 00:30 on the Friday still owe
/// service by the tenth working day after the Thursday, whichever event arrives first.
/// </summary>
public sealed class When_the_licence_is_issued_after_midnight
{
    private static readonly DateTimeOffset DecidedAt = new(2026, 11, 5, 23, 30, 0, TimeSpan.FromHours(8));
    private static readonly DateTimeOffset IssuedAt = new(2026, 11, 6, 0, 30, 0, TimeSpan.FromHours(8));

    [Fact]
    public async Task Should_count_from_the_decision_when_it_arrives_first()
    {
        await using var host = await DeliveryHost.StartAsync();
        var application = Guid.NewGuid();
        await host.ApproveAsync(application, DecidedAt);
        await host.WaitUntilAsync(
            async () => await host.ScalarAsync<long>("SELECT COUNT(*) FROM delivery_decisions WHERE application_id = @Id", new { Id = application }) == 1,
            "the decision to be kept");

        await host.IssueAsync(application, IssuedAt);

        var shipment = await host.WaitForStatusAsync(application, "AwaitingPickup");
        Assert.Equal("2026-11-19", shipment.ServiceDueBy);
    }

    [Fact]
    public async Task Should_set_the_limit_right_when_the_decision_arrives_after_the_licence()
    {
        await using var host = await DeliveryHost.StartAsync();
        var application = Guid.NewGuid();
        await host.IssueAsync(application, IssuedAt);
        Assert.Equal("2026-11-20", (await host.WaitForStatusAsync(application, "AwaitingPickup")).ServiceDueBy);

        await host.ApproveAsync(application, DecidedAt);

        await Permits.Testing.Eventually.TrueAsync(
            async () => (await host.GetAsync(application)).ServiceDueBy == "2026-11-19", TimeSpan.FromSeconds(30), "the limit to count from the decision");
    }
}

public sealed class When_an_officer_sends_bad_input
{
    public static TheoryData<string, string> Spoilt() => new()
    {
        { "application_id", "not a guid" },
        { "pickup_code", "12ab56" },
        { "collected_by", "" },
    };

    [Theory]
    [MemberData(nameof(Spoilt))]
    public async Task Should_name_the_field_and_change_nothing(string field, string value)
    {
        await using var host = await DeliveryHost.StartAsync();
        var application = await host.IssueAsync(DeliveryMethod.Pickup);
        await host.WaitForStatusAsync(application, "AwaitingPickup");
        var request = new ConfirmPickupRequest
        {
            ApplicationId = application.ToString(),
            PickupCode = await host.PickupCodeAsync(application),
            CollectedBy = "王小明",
        };
        switch (field)
        {
            case "application_id": request.ApplicationId = value; break;
            case "pickup_code": request.PickupCode = value; break;
            case "collected_by": request.CollectedBy = value; break;
        }

        var before = await host.ScalarAsync("SELECT COUNT(*) FROM outbox_messages");
        var error = await Assert.ThrowsAsync<RpcException>(() => host.Client.ConfirmPickupAsync(request, DeliveryHost.AsOfficer()).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var violation = Assert.Single(error.GetRpcStatus()!.GetDetail<Google.Rpc.BadRequest>()!.FieldViolations);
        Assert.Equal(field, violation.Field);
        Assert.Equal("AwaitingPickup", (await host.GetAsync(application)).Status);
        Assert.Equal(before, await host.ScalarAsync("SELECT COUNT(*) FROM outbox_messages"));
    }
}
