using Grpc.Core;
using Permits.Contracts;
using Permits.Contracts.Delivery.V1;
using Permits.Testing;

namespace Permits.Delivery.Tests;

/// <summary>Who may see the pickup code: Intake runs beside Delivery, and the shopkeeper submits through it.</summary>
public sealed class When_a_licence_waits_at_the_hall_for_its_owner : IAsyncLifetime
{
    private const string Owner = "13800571234";
    private const string Stranger = "13900572222";

    private DeliveryHost _host = null!;
    private Guid _application;
    private string _code = "";

    public async Task InitializeAsync()
    {
        _host = await DeliveryHost.StartAsync(withIntake: true);
        _application = await _host.SubmitAndIssueAsync(Owner, DeliveryMethod.Pickup);
        await _host.WaitForStatusAsync(_application, "AwaitingPickup");
        _code = await _host.PickupCodeAsync(_application);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Should_show_the_code_to_the_owner_only()
    {
        var owner = await _host.GetAsAsync(_application, DeliveryHost.AsApplicant(Owner));
        Assert.Equal("owner", owner.View);
        Assert.Equal(_code, owner.PickupCode);
        Assert.Contains("海盐", owner.PickupAddress);

        var stranger = await _host.GetAsAsync(_application, DeliveryHost.AsApplicant(Stranger));
        var anonymous = await _host.GetAsAsync(_application, null);
        var officer = await _host.GetAsAsync(_application, DeliveryHost.AsOfficer());
        var otherCountyOfficer = await _host.GetAsAsync(_application, DeliveryHost.AsOfficer(DeliveryHost.OtherCounty));
        var countyView = await _host.GetAsync(_application);

        Assert.Equal(("public", ""), (stranger.View, stranger.PickupCode));
        Assert.Equal(("public", ""), (anonymous.View, anonymous.PickupCode));
        Assert.Equal(("officer", ""), (officer.View, officer.PickupCode));
        Assert.Equal(("public", ""), (otherCountyOfficer.View, otherCountyOfficer.PickupCode));
        Assert.Equal(("officer", ""), (countyView.View, countyView.PickupCode));
        foreach (var view in new[] { stranger, anonymous, officer, otherCountyOfficer, countyView })
        {
            Assert.DoesNotContain(view.Events, e => e.Detail.Contains(_code, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Should_refuse_a_forged_token_and_publish_the_code_nowhere()
    {
        var forged = new Metadata { { "Authorization", "Bearer " + Tokens.Mint("permits-delivery", "applicant-" + Owner, "申请人", ["applicant"],
            new() { ["phone_number"] = Owner }, issuer: "https://stranger.example/") } };
        var error = await Assert.ThrowsAsync<RpcException>(() => _host.GetAsAsync(_application, forged));
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);

        // Events, disclosure records and the audit never carry the code.
        Assert.Equal(1, await _host.OutboxCountAsync("ShipmentAwaitingPickup", _application));
        Assert.Equal(0, await _host.ScalarAsync("SELECT COUNT(*) FROM outbox_messages WHERE body LIKE @Code", new { Code = $"%{_code}%" }));
        Assert.Equal(0, await _host.ScalarAsync("SELECT COUNT(*) FROM shipment_events WHERE detail LIKE @Code", new { Code = $"%{_code}%" }));
    }

    [Fact]
    public async Task Should_be_served_when_the_officer_enters_the_code_the_owner_shows()
    {
        var shown = (await _host.GetAsAsync(_application, DeliveryHost.AsApplicant(Owner))).PickupCode;

        var served = await _host.Client.ConfirmPickupAsync(
            new ConfirmPickupRequest { ApplicationId = _application.ToString(), PickupCode = shown, CollectedBy = "王建国" },
            DeliveryHost.AsOfficer());

        Assert.Equal("Delivered", served.Status);
        var owner = await _host.GetAsAsync(_application, DeliveryHost.AsApplicant(Owner));
        Assert.Empty(owner.PickupCode);
        Assert.Equal("王建国", owner.SignedBy);
        var anonymous = await _host.GetAsAsync(_application, null);
        Assert.Equal("王**", anonymous.SignedBy);
        Assert.DoesNotContain(anonymous.Events, e => e.Detail.Contains("王建国", StringComparison.Ordinal));
    }
}

/// <summary>Officer actions: the token's role and county decide; another county is refused, audited, and changes nothing.</summary>
public sealed class When_someone_other_than_the_countys_officer_acts : IAsyncLifetime
{
    private DeliveryHost _host = null!;
    private Guid _application;

    public async Task InitializeAsync()
    {
        _host = await DeliveryHost.StartAsync();
        _application = await _host.IssueAsync(DeliveryMethod.Pickup);
        await _host.WaitForStatusAsync(_application, "AwaitingPickup");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public static TheoryData<string> Callers() => ["anonymous", "applicant", "disclosure clerk", "other county"];

    private static (Metadata? Headers, StatusCode Expected) Caller(string who) => who switch
    {
        "anonymous" => (null, StatusCode.Unauthenticated),
        "applicant" => (DeliveryHost.AsApplicant(), StatusCode.PermissionDenied),
        "disclosure clerk" => (DeliveryHost.AsOfficer(role: "disclosure-clerk"), StatusCode.PermissionDenied),
        "other county" => (DeliveryHost.AsOfficer(DeliveryHost.OtherCounty), StatusCode.PermissionDenied),
        _ => throw new ArgumentOutOfRangeException(nameof(who)),
    };

    [Theory]
    [MemberData(nameof(Callers))]
    public async Task Should_refuse_the_hand_over_and_change_nothing(string who)
    {
        var (headers, expected) = Caller(who);
        var before = await _host.ScalarAsync("SELECT COUNT(*) FROM outbox_messages");
        var request = new ConfirmPickupRequest
        {
            ApplicationId = _application.ToString(),
            PickupCode = await _host.PickupCodeAsync(_application),
            CollectedBy = "王小明",
        };

        var error = await Assert.ThrowsAsync<RpcException>(() => _host.Client.ConfirmPickupAsync(request, headers).ResponseAsync);

        Assert.Equal(expected, error.StatusCode);
        Assert.Equal("AwaitingPickup", (await _host.GetAsync(_application)).Status);
        Assert.Equal(before, await _host.ScalarAsync("SELECT COUNT(*) FROM outbox_messages"));
    }

    [Fact]
    public async Task Should_refuse_and_audit_another_countys_officer_on_every_officer_call()
    {
        var other = DeliveryHost.AsOfficer(DeliveryHost.OtherCounty);
        var request = new GetShipmentRequest { ApplicationId = _application.ToString() };

        var view = await Assert.ThrowsAsync<RpcException>(() => _host.Client.GetCountyShipmentAsync(request, other).ResponseAsync);
        var resolve = await Assert.ThrowsAsync<RpcException>(() => _host.Client.ResolveFailedDeliveryAsync(
            new ResolveFailedDeliveryRequest { ApplicationId = _application.ToString(), Resolution = FailedDeliveryResolution.Redeliver },
            other).ResponseAsync);
        var list = await _host.Client.ListShipmentsAsync(new ListShipmentsRequest(), other);

        Assert.Equal(StatusCode.PermissionDenied, view.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, resolve.StatusCode);
        Assert.DoesNotContain(list.Shipments, s => s.ApplicationId == _application.ToString());
        Assert.Equal(2, await _host.ScalarAsync(
            "SELECT COUNT(*) FROM officer_audit WHERE outcome = 'refused' AND officer_county = @County",
            new { County = DeliveryHost.OtherCounty }));
    }

    [Fact]
    public async Task Should_refuse_the_county_list_without_an_officer_token()
    {
        var anonymous = await Assert.ThrowsAsync<RpcException>(() => _host.Client.ListShipmentsAsync(new ListShipmentsRequest()).ResponseAsync);
        var applicant = await Assert.ThrowsAsync<RpcException>(
            () => _host.Client.ListShipmentsAsync(new ListShipmentsRequest(), DeliveryHost.AsApplicant()).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, applicant.StatusCode);
    }
}

/// <summary>The county's list for officers: late ones first, filterable by status and lateness.</summary>
public sealed class When_an_officer_lists_the_countys_shipments
{
    [Fact]
    public async Task Should_put_late_ones_first_and_filter_by_status_and_lateness()
    {
        await using var host = await DeliveryHost.StartAsync();
        var inTime = await host.IssueAsync(DeliveryMethod.Pickup);
        var late = await host.IssueAsync(DeliveryMethod.Pickup, issuedAt: DateTimeOffset.UtcNow.AddDays(-40));
        var byCourier = await host.IssueAsync();
        await Eventually.TrueAsync(async () => (await host.GetAsync(late)).Late, TimeSpan.FromSeconds(20), "the old shipment to be flagged late");
        await host.WaitForStatusAsync(byCourier, "Delivered");
        await host.WaitForStatusAsync(inTime, "AwaitingPickup");

        var all = await host.Client.ListShipmentsAsync(new ListShipmentsRequest(), DeliveryHost.AsOfficer());
        var lateOnly = await host.Client.ListShipmentsAsync(new ListShipmentsRequest { LateOnly = true }, DeliveryHost.AsOfficer());
        var waiting = await host.Client.ListShipmentsAsync(
            new ListShipmentsRequest { Status = "AwaitingPickup" }, DeliveryHost.AsOfficer(role: "head"));
        var paged = await host.Client.ListShipmentsAsync(new ListShipmentsRequest { PageSize = 2 }, DeliveryHost.AsOfficer());
        var rest = await host.Client.ListShipmentsAsync(
            new ListShipmentsRequest { PageSize = 2, PageToken = paged.NextPageToken }, DeliveryHost.AsOfficer());

        Assert.Equal(3, all.Total);
        Assert.Equal(1, all.LateOpen);
        Assert.Equal(late.ToString(), all.Shipments[0].ApplicationId);
        Assert.True(all.Shipments[0].Late);
        Assert.Equal([late.ToString()], lateOnly.Shipments.Select(s => s.ApplicationId));
        Assert.Equal([late.ToString(), inTime.ToString()], waiting.Shipments.Select(s => s.ApplicationId));
        var delivered = Assert.Single(all.Shipments, s => s.ApplicationId == byCourier.ToString());
        Assert.Equal("Delivered", delivered.Status);
        Assert.Equal("Delivered", delivered.LastEvent.Status);
        Assert.NotEmpty(delivered.WaybillNumber);
        Assert.Equal(2, paged.Shipments.Count);
        Assert.Equal(all.Shipments.Select(s => s.ApplicationId), paged.Shipments.Concat(rest.Shipments).Select(s => s.ApplicationId));
        Assert.Empty(rest.NextPageToken);
    }

    [Fact]
    public async Task Should_name_a_status_it_does_not_know()
    {
        await using var host = await DeliveryHost.StartAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => host.Client.ListShipmentsAsync(
            new ListShipmentsRequest { Status = "Lost" }, DeliveryHost.AsOfficer()).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("status", Assert.Single(error.GetRpcStatus()!.GetDetail<Google.Rpc.BadRequest>()!.FieldViolations).Field);
    }
}

/// <summary>A six-digit pickup code could be guessed without limit: wrong codes now lock the shipment, and the officer.</summary>
public sealed class When_wrong_pickup_codes_are_tried : IAsyncLifetime
{
    private DeliveryHost _host = null!;

    public async Task InitializeAsync() => _host = await DeliveryHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static string WrongFor(string code) => code == "000000" ? "000001" : "000000";

    private Task<Shipment> TryAsync(Guid application, string code, Metadata officer) => _host.Client.ConfirmPickupAsync(
        new ConfirmPickupRequest { ApplicationId = application.ToString(), PickupCode = code, CollectedBy = "王小明" }, officer).ResponseAsync;

    [Fact]
    public async Task Should_lock_the_shipment_after_five_even_for_the_right_code_and_audit_it()
    {
        var application = await _host.IssueAsync(DeliveryMethod.Pickup);
        await _host.WaitForStatusAsync(application, "AwaitingPickup");
        var code = await _host.PickupCodeAsync(application);

        for (var i = 0; i < 5; i++)
        {
            var wrong = await Assert.ThrowsAsync<RpcException>(() => TryAsync(application, WrongFor(code), DeliveryHost.AsOfficer()));
            Assert.Equal(StatusCode.InvalidArgument, wrong.StatusCode);
        }

        // Another officer of the county, with the right code: still locked.
        var locked = await Assert.ThrowsAsync<RpcException>(() => TryAsync(application, code, DeliveryHost.AsOfficer(role: "head")));

        Assert.Equal(StatusCode.ResourceExhausted, locked.StatusCode);
        Assert.Equal("AwaitingPickup", (await _host.GetAsync(application)).Status);
        Assert.Equal(1, await _host.ScalarAsync(
            "SELECT COUNT(*) FROM officer_audit WHERE outcome = 'refused' AND detail LIKE '%已锁定'"));
    }

    [Fact]
    public async Task Should_lock_an_officer_who_tries_wrong_codes_across_shipments()
    {
        var shipments = new List<(Guid Id, string Code)>();
        for (var i = 0; i < 3; i++)
        {
            var application = await _host.IssueAsync(DeliveryMethod.Pickup);
            await _host.WaitForStatusAsync(application, "AwaitingPickup");
            shipments.Add((application, await _host.PickupCodeAsync(application)));
        }

        for (var i = 0; i < Permits.Delivery.Features.ConfirmPickup.MaxWrongCodesPerOfficer; i++)
        {
            var (id, code) = shipments[i % 3];
            await Assert.ThrowsAsync<RpcException>(() => TryAsync(id, WrongFor(code), DeliveryHost.AsOfficer()));
        }

        var locked = await Assert.ThrowsAsync<RpcException>(() =>
            TryAsync(shipments[0].Id, shipments[0].Code, DeliveryHost.AsOfficer()));
        var colleague = await TryAsync(shipments[0].Id, shipments[0].Code, DeliveryHost.AsOfficer(role: "head"));

        Assert.Equal(StatusCode.ResourceExhausted, locked.StatusCode);
        Assert.Equal("Delivered", colleague.Status);
    }
}

/// <summary>Another county's officer got field errors for a malformed hand-over: the county is checked first.</summary>
public sealed class When_another_countys_officer_sends_a_malformed_hand_over : IAsyncLifetime
{
    private DeliveryHost _host = null!;

    public async Task InitializeAsync() => _host = await DeliveryHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Should_answer_permission_denied_and_audit_it()
    {
        var application = await _host.IssueAsync(DeliveryMethod.Pickup);
        await _host.WaitForStatusAsync(application, "AwaitingPickup");
        var request = new ConfirmPickupRequest { ApplicationId = application.ToString(), PickupCode = "12", CollectedBy = "" };

        var other = await Assert.ThrowsAsync<RpcException>(() =>
            _host.Client.ConfirmPickupAsync(request, DeliveryHost.AsOfficer(DeliveryHost.OtherCounty)).ResponseAsync);
        var own = await Assert.ThrowsAsync<RpcException>(() =>
            _host.Client.ConfirmPickupAsync(request, DeliveryHost.AsOfficer()).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, other.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, own.StatusCode);
    }
}
