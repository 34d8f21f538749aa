using Grpc.Core;
using Permits.Contracts;
using Permits.Contracts.Delivery.V1;
using Permits.Shared.Security;

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
        Assert.Equal((0, "", ""), (before.Version, before.OpeningHours, before.Phone));
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
    }

    [Fact]
    public async Task Should_refuse_another_county_s_administrator_and_a_hall_clerk_and_audit_both()
    {
        var otherAdmin = await Assert.ThrowsAsync<RpcException>(() => UpdateAsync(Moved(), Admin("330421")));
        var clerk = await Assert.ThrowsAsync<RpcException>(() => UpdateAsync(Moved(), DeliveryHost.AsOfficer()));

        Assert.Equal((StatusCode.PermissionDenied, StatusCode.PermissionDenied), (otherAdmin.StatusCode, clerk.StatusCode));
        Assert.Equal(0, await _host.ScalarAsync("SELECT COUNT(*) FROM county_settings"));
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
