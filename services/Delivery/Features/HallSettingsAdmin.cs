using System.Data.Common;
using System.Text.RegularExpressions;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Permits.Contracts.Delivery;
using Permits.Contracts.Delivery.V1;
using Permits.Delivery.Security;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Steps;

namespace Permits.Delivery.Features;

/// <summary>Where a county's licences are collected (窗口领取): its service hall's address, opening hours and phone.</summary>
public sealed record HallDetails(string Address, string OpeningHours, string Phone);

/// <summary>
/// A county's service hall as in force, owned by Delivery (hall pickup): the 系统管理员's stored details
/// (<see cref="CountySettings{TService}"/>, read on every use, so the next pickup notice of any replica names the new
/// hall), else counties.json's. A change is published (HallSettingsChanged) for Certificate's documents; the Portal
/// asks <see cref="GetAsync"/>.
/// </summary>
public static class CountyHalls
{
    public const string Kind = "hall";

    public static async Task<HallDetails> HallAsync(DbConnection connection, DbTransaction? transaction, County county) =>
        (await CountySettings<DeliveryModule>.ReadAsync<HallDetails>(connection, transaction, Kind, county.Code))?.Value
        ?? Default(county);

    /// <summary>The hall as the county directory gives it, for a county whose 系统管理员 never set one.</summary>
    public static HallDetails Default(County county) => new(county.ServiceHallAddress, county.ServiceHallHours, county.ServiceHallPhone);

    /// <summary>The public view of the hall in force (no version, no trail); NOT_FOUND for a county not served here.</summary>
    public static async Task<Hall> GetAsync(
        ServiceDatabase<DeliveryModule> database, CountyDirectory counties, GetHallRequest request, CancellationToken cancellationToken)
    {
        if (!counties.TryGet(request.CountyCode.Trim(), out var county))
        {
            throw new RpcException(new Status(StatusCode.NotFound, "未找到该县（市、区）"));
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var hall = await HallAsync(connection, null, county);
        return new Hall { CountyCode = county.Code, Address = hall.Address, OpeningHours = hall.OpeningHours, Phone = hall.Phone };
    }

    /// <summary>The county with its hall in force, for the texts and events that name the hall.</summary>
    public static async Task<County> CountyAsync(DbConnection connection, DbTransaction? transaction, County county)
    {
        var hall = await HallAsync(connection, transaction, county);
        return county with { ServiceHallAddress = hall.Address, ServiceHallHours = hall.OpeningHours, ServiceHallPhone = hall.Phone };
    }
}

/// <summary>
/// The 系统管理员's page on the county's hall: reads it with its trail, changes it in one audited step
/// (<see cref="HallSteps.ChangeHall"/>); bad values are each named and change nothing.
/// </summary>
public sealed partial class HallSettingsAdmin(CountySettings<DeliveryModule> settings, CountyDirectory counties, TimeProvider time)
{
    public async Task<HallSettings> GetAsync(GetHallSettingsRequest request, Officer officer, CancellationToken cancellationToken)
    {
        var target = await settings.TargetAsync(officer, HallSteps.ChangeHall, CountyHalls.Kind, request.CountyCode, new FieldErrors(), cancellationToken);
        await settings.EnsureMayViewAsync(officer, HallSteps.ChangeHall, target);
        var code = CountySettings<DeliveryModule>.CountyOf(target);
        var stored = await settings.ReadAsync<HallDetails>(CountyHalls.Kind, code, cancellationToken);
        return await ReplyAsync(code, stored?.Value ?? Defaults(code), stored, target, cancellationToken);
    }

    public async Task<HallSettings> UpdateAsync(UpdateHallSettingsRequest request, Officer officer, CancellationToken cancellationToken)
    {
        var s = request.Settings ?? new HallSettings();
        var wanted = new HallDetails(s.Address.Trim(), s.OpeningHours.Trim(), s.Phone.Trim());
        var errors = new FieldErrors();
        if (wanted.Address.Length is < 6 or > 200)
        {
            errors.Add("settings.address", "请填写办事大厅的详细地址（6 至 200 字）");
        }

        if (wanted.OpeningHours.Length is < 4 or > 100)
        {
            errors.Add("settings.opening_hours", "请填写办公时间（4 至 100 字），如：工作日 8:30—12:00，13:30—17:00");
        }

        if (!Phone().IsMatch(wanted.Phone))
        {
            errors.Add("settings.phone", "请填写办事大厅的联系电话，如 0573-86012345");
        }

        var target = await settings.TargetAsync(officer, HallSteps.ChangeHall, CountyHalls.Kind, s.CountyCode, errors, cancellationToken);
        var stored = await settings.ChangeAsync(officer, HallSteps.ChangeHall, target, CountyHalls.Kind, s.Version, time,
            async (session, county) =>
            {
                var old = await CountyHalls.HallAsync(session.Connection, session.Transaction, counties.Get(county));
                var changes = CountySettings<DeliveryModule>.Changes(
                    ("地址", old.Address, wanted.Address), ("办公时间", old.OpeningHours, wanted.OpeningHours), ("联系电话", old.Phone, wanted.Phone));
                if (changes.Length > 0)
                {
                    // In the step's transaction: the services that print the hall hear of it if and only if it is stored.
                    await session.PublishAsync(new HallSettingsChanged(
                        county, wanted.Address, wanted.OpeningHours, wanted.Phone, s.Version + 1, time.GetUtcNow(), officer.Label));
                }

                return (wanted, changes);
            }, cancellationToken);
        var code = CountySettings<DeliveryModule>.CountyOf(target);
        return await ReplyAsync(code, stored.Value, stored.Version > 0 ? stored : null, target, cancellationToken);
    }

    private HallDetails Defaults(string county) =>
        counties.TryGet(county, out var entry) ? CountyHalls.Default(entry) : new HallDetails("", "", "");

    private async Task<HallSettings> ReplyAsync(
        string county, HallDetails value, StoredSettings<HallDetails>? stored, StepTarget<string> target, CancellationToken cancellationToken)
    {
        var reply = new HallSettings
        {
            CountyCode = county,
            CountyName = counties.TryGet(county, out var entry) ? entry.Name : county,
            Address = value.Address,
            OpeningHours = value.OpeningHours,
            Phone = value.Phone,
            Version = stored?.Version ?? 0,
            UpdatedBy = stored?.UpdatedBy ?? "",
        };
        if (stored?.UpdatedAt is { } at)
        {
            reply.UpdatedAt = Timestamp.FromDateTimeOffset(at);
        }

        reply.Trail.AddRange(await settings.TrailAsync(target, cancellationToken));
        return reply;
    }

    /// <summary>A landline with area code or a mobile number: digits, with - or spaces between groups.</summary>
    [GeneratedRegex(@"^(0\d{2,3}[- ]?\d{7,8}([- ]\d{1,6})?|1\d{10}|400[- ]?\d{3}[- ]?\d{4})$")]
    private static partial Regex Phone();
}
