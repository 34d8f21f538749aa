using Grpc.Core;
using Permits.Contracts;
using Permits.Contracts.Delivery;
using Permits.Contracts.Delivery.V1;
using Permits.Shared.Security;
using Permits.Testing;

namespace Permits.Delivery.Tests;

/// <summary>
/// A county's 系统管理员 moves its service hall without a redeploy: the next licence waiting for pickup names the new
/// address, hours and phone; bad values and other callers change nothing; every change and refusal is audited.
/// </summary>
public sealed class When_a_county_changes_its_hall : IAsyncLifetime
{
    private const string NewAddress = "浙江省嘉兴市海盐县武原街道盐湖路 88 号便民服务中心二楼";

    private DeliveryHost _host = null!;

    public async Task InitializeAsync() => _host = await DeliveryHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static Metadata Admin(string county = DeliveryHost.County) => DeliveryHost.AsOfficer(county, PermitsRoles.SystemAdmin);

    private Task<HallSettings> UpdateAsync(HallSettings settings, Metadata? who = null) =>
        _host.Client.UpdateHallSettingsAsync(new UpdateHallSettingsRequest { Settings = settings }, who ?? Admin()).ResponseAsync;

    private static HallSettings Moved() => new()
    {
        CountyCode = DeliveryHost.County, Address = NewAddress, OpeningHours = "工作日 8:30—12:00，13:30—17:00", Phone = "0573-86012345",
    };

    [Fact]
    public async Task Should_send_the_next_licence_waiting_for_pickup_to_the_new_hall()
    {
        var before = await _host.Client.GetHallSettingsAsync(new GetHallSettingsRequest(), Admin());
        Assert.Equal((0, "0573-86012345"), (before.Version, before.Phone));
        Assert.Contains("8:30", before.OpeningHours);
        Assert.Contains("海盐县武原街道政务服务中心", before.Address);

        var changed = await UpdateAsync(Moved());
        var application = await _host.IssueAsync(DeliveryMethod.Pickup);
        var shipment = await _host.WaitForStatusAsync(application, "AwaitingPickup");

        Assert.Equal(1, changed.Version);
        Assert.Equal((NewAddress, "工作日 8:30—12:00，13:30—17:00", "0573-86012345"), (shipment.PickupAddress, shipment.PickupOpeningHours, shipment.PickupPhone));
        Assert.Contains(shipment.Events, e => e.Detail.Contains(NewAddress));
        var announced = Assert.Single(await _host.QueryAsync<string>(
            "SELECT body FROM outbox_messages WHERE message_type LIKE '%ShipmentAwaitingPickup,%' AND body LIKE @Application",
            new { Application = $"%{application}%" }));
        Assert.Contains(NewAddress, System.Text.RegularExpressions.Regex.Unescape(announced));
    }

    [Fact]
    public async Task Should_refuse_bad_values_naming_each_field_and_change_nothing()
    {
        var bad = Moved();
        bad.Address = "县城";
        bad.Phone = "电话待定";

        var error = await Assert.ThrowsAsync<RpcException>(() => UpdateAsync(bad));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(["settings.address", "settings.phone"],
            error.GetRpcStatus()!.GetDetail<Google.Rpc.BadRequest>()!.FieldViolations.Select(v => v.Field));
        Assert.Equal(0, await _host.ScalarAsync("SELECT COUNT(*) FROM county_settings"));
        Assert.Equal(0, await _host.OutboxCountAsync<HallSettingsChanged>());
    }

    [Fact]
    public async Task Should_announce_each_accepted_change_once_with_its_version_and_nothing_else()
    {
        await UpdateAsync(Moved());
        var unchanged = Moved();
        unchanged.Version = 1;
        await UpdateAsync(unchanged);
        var stale = Moved();
        stale.Address = "浙江省嘉兴市海盐县武原街道另一处服务中心";
        await Assert.ThrowsAsync<RpcException>(() => UpdateAsync(stale));
        var again = Moved();
        again.Version = 1;
        again.Phone = "0573-86019999";
        await UpdateAsync(again);

        var announced = (await _host.QueryAsync<string>(
            "SELECT body FROM outbox_messages WHERE message_type LIKE @Type ORDER BY sequence", new { Type = typeof(HallSettingsChanged).FullName + ",%" }))
            .Select(System.Text.RegularExpressions.Regex.Unescape).ToList();

        Assert.Equal(2, announced.Count);
        Assert.Contains(NewAddress, announced[0]);
        Assert.Contains("\"version\":1", announced[0]);
        Assert.Contains("0573-86019999", announced[1]);
        Assert.Contains("\"version\":2", announced[1]);
    }

    [Fact]
    public async Task Should_tell_anyone_the_hall_in_force_without_version_or_trail()
    {
        var anonymous = new Shipments.ShipmentsClient(_host.Channel);
        var before = await anonymous.GetHallAsync(new GetHallRequest { CountyCode = DeliveryHost.County });
        await UpdateAsync(Moved());

        var after = await anonymous.GetHallAsync(new GetHallRequest { CountyCode = DeliveryHost.County });
        var unknown = await Assert.ThrowsAsync<RpcException>(() => anonymous.GetHallAsync(new GetHallRequest { CountyCode = "110101" }).ResponseAsync);

        Assert.Contains("海盐县武原街道政务服务中心", before.Address);
        Assert.Equal((NewAddress, "工作日 8:30—12:00，13:30—17:00", "0573-86012345"), (after.Address, after.OpeningHours, after.Phone));
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Should_show_the_new_hall_in_the_guide_and_the_directory_s_promise_while_review_is_away()
    {
        await using var portal = await PortalUnderTest.StartAsync(new Dictionary<string, string> { ["Delivery"] = _host.GrpcUrl });
        using var browser = portal.Anonymous();
        await UpdateAsync(Moved());

        var guide = PortalForms.Text(await browser.GetStringAsync("/guide/New?county=330424"));
        var index = PortalForms.Text(await browser.GetStringAsync("/guide?county=330424"));

        Assert.Contains(NewAddress, guide);
        Assert.Contains("工作日 8:30—12:00，13:30—17:00", guide);
        Assert.DoesNotContain("政务服务中心一楼烟草窗口", guide);
        Assert.Contains(NewAddress, index);
        // Review is not reachable: the page still renders (200), with the county directory's 15 days.
        Assert.Contains("承诺时限 自受理之日起 15 个工作日", guide);
    }

    [Fact]
    public async Task Should_refuse_another_county_s_administrator_and_a_hall_clerk_and_audit_both()
    {
        var otherAdmin = await Assert.ThrowsAsync<RpcException>(() => UpdateAsync(Moved(), Admin("330421")));
        var clerk = await Assert.ThrowsAsync<RpcException>(() => UpdateAsync(Moved(), DeliveryHost.AsOfficer()));

        Assert.Equal((StatusCode.PermissionDenied, StatusCode.PermissionDenied), (otherAdmin.StatusCode, clerk.StatusCode));
        Assert.Equal(0, await _host.ScalarAsync("SELECT COUNT(*) FROM county_settings"));
        Assert.Equal(0, await _host.OutboxCountAsync<HallSettingsChanged>());
        Assert.Equal(2, await _host.ScalarAsync(
            "SELECT COUNT(*) FROM officer_audit WHERE subject_id = 'hall/330424' AND action = 'change-hall-settings' AND outcome = 'refused'"));
    }

    [Fact]
    public async Task Should_record_who_changed_what_in_the_trail()
    {
        await UpdateAsync(Moved());
        var again = Moved();
        again.Version = 1;
        again.Phone = "0573-86019999";
        await UpdateAsync(again);

        var read = await _host.Client.GetHallSettingsAsync(new GetHallSettingsRequest { CountyCode = DeliveryHost.County }, Admin());

        Assert.Equal((2, "0573-86019999"), (read.Version, read.Phone));
        Assert.Equal(["联系电话：0573-86012345 → 0573-86019999", "done"], [read.Trail[0].Detail, read.Trail[0].Outcome]);
        Assert.Contains("地址：", read.Trail[1].Detail);
        Assert.All(read.Trail, t => Assert.Contains(DeliveryHost.OfficerSubject(role: PermitsRoles.SystemAdmin), t.Officer));
    }
}
