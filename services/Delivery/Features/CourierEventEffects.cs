using Permits.Contracts.Delivery;
using Permits.Contracts.Disclosure;
using Permits.Delivery.Courier;
using Permits.Delivery.Domain;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Hosting;

namespace Permits.Delivery.Features;

/// <summary>
/// What one courier event does to its shipment, in the caller's transaction (<see cref="ApplyCourierEvents"/> hands
/// them over in sequence, each once): its tracking row always; for a status that fits, the shipment's new status,
/// the event and, for legal steps, the disclosure record. The courier's own text stays out of public records: it
/// may name people or places.
/// </summary>
public sealed partial class CourierEventEffects(
    CountyDirectory counties,
    TimeProvider time,
    ILogger<CourierEventEffects> logger)
{
    private const string ProgressSql = "UPDATE shipments SET status = @Status WHERE id = @Id";

    private const string DeliveredSql = """
        UPDATE shipments SET status = @Status, signed_by = @SignedBy, delivered_at = @DeliveredAt, next_poll_at = NULL,
            pickup_code = NULL
        WHERE id = @Id
        """;

    private const string FailedSql = """
        UPDATE shipments SET status = @Status, failure_reason = @Reason, failed_at = @FailedAt, next_poll_at = NULL
        WHERE id = @Id
        """;

    private const string ReturnedSql = """
        UPDATE shipments SET status = @Status, pickup_code = @PickupCode, next_poll_at = NULL WHERE id = @Id
        """;

    public async Task ApplyAsync(DbSession session, CourierShipmentRow shipment, CourierEventRow e)
    {
        // A courier's webhook or poll names a waybill, not the case: the licence's journey is found by its number.
        PermitsTelemetry.ForApplication(shipment.ApplicationNumber);
        var now = time.GetUtcNow();
        await TrackingLog.AddAsync(session, shipment.Id, e.Sequence, TrackingLog.Clip(e.Status, 30), e.OccurredAt, e.Detail, now);
        var withCourier = ShipmentStatus.WithCourier.Contains(shipment.Status);
        switch (e.Status)
        {
            case CourierStatuses.PickedUp or CourierStatuses.InTransit or CourierStatuses.Returning when withCourier:
                await ProgressedAsync(session, shipment, e);
                break;
            case CourierStatuses.Delivered when shipment.Status != ShipmentStatus.Delivered:
                await DeliveredAsync(session, shipment, e);
                break;
            case CourierStatuses.Failed when withCourier:
                await FailedAsync(session, shipment, e);
                break;
            case CourierStatuses.Returned when withCourier:
                await ReturnedAsync(session, shipment, e, now);
                break;
            default:
                // Kept in the history; it changes nothing (unknown status, or one that no longer fits).
                LogIgnored(logger, e.Status, e.Sequence, shipment.ApplicationNumber, shipment.Status);
                break;
        }
    }

    /// <summary>
    /// 送达 is part of the legal record, and so is the way there: each change of the parcel's state (not each scan)
    /// gets a record.
    /// </summary>
    private async Task ProgressedAsync(DbSession session, CourierShipmentRow shipment, CourierEventRow e)
    {
        await session.ExecuteAsync(ProgressSql, new { shipment.Id, e.Status });
        await session.PublishAsync(
            new ShipmentProgressed(shipment.Id, shipment.ApplicationId, shipment.WaybillNumber ?? "", e.Status, e.Detail, e.OccurredAt),
            DeterministicGuid.Create(shipment.Id, $"{e.Status}#{e.Sequence}"));
        if (shipment.Status == e.Status)
        {
            return;
        }

        var (kind, summary) = e.Status switch
        {
            CourierStatuses.PickedUp => (DisclosureKinds.ShipmentPickedUp, "许可证已由快递揽收"),
            CourierStatuses.InTransit => (DisclosureKinds.ShipmentInTransit, "许可证寄递途中"),
            _ => (DisclosureKinds.ShipmentReturning, "许可证退回服务大厅途中"),
        };
        await session.DiscloseAsync(ShipmentRecords.For(kind, shipment, counties.Get(shipment.CountyCode), e.OccurredAt, summary,
            ShipmentRecords.Fields(shipment.ApplicationNumber, ShipmentRecords.ByCourier).WithCourier(),
            occurrence: e.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    private async Task DeliveredAsync(DbSession session, CourierShipmentRow shipment, CourierEventRow delivered)
    {
        var signer = delivered.SignedBy.Trim();
        await session.ExecuteAsync(DeliveredSql, new
        {
            shipment.Id,
            Status = ShipmentStatus.Delivered,
            SignedBy = signer,
            DeliveredAt = delivered.OccurredAt,
        });
        await session.PublishAsync(
            new ShipmentDelivered(shipment.Id, shipment.ApplicationId, shipment.WaybillNumber ?? "", signer, delivered.OccurredAt),
            DeterministicGuid.Create(shipment.Id, ShipmentStatus.Delivered));
        await session.DiscloseAsync(ShipmentRecords.For(DisclosureKinds.ShipmentDelivered, shipment,
            counties.Get(shipment.CountyCode), delivered.OccurredAt, "许可证已送达",
            ShipmentRecords.Fields(shipment.ApplicationNumber, ShipmentRecords.ByCourier).SignedBy(signer)));
        LogDelivered(logger, shipment.ApplicationNumber, shipment.WaybillNumber ?? "");
    }

    private async Task FailedAsync(DbSession session, CourierShipmentRow shipment, CourierEventRow failed)
    {
        var reason = TrackingLog.Clip(failed.Detail.Trim().Length > 0 ? failed.Detail.Trim() : "快递投递未成功", 500);
        await session.ExecuteAsync(FailedSql, new
        {
            shipment.Id,
            Status = ShipmentStatus.DeliveryFailed,
            Reason = reason,
            FailedAt = failed.OccurredAt,
        });
        // One event and one record per failed attempt; the first keeps the ids it always had.
        var attempt = shipment.DeliveryAttempts;
        await session.PublishAsync(
            new DeliveryFailed(shipment.Id, shipment.ApplicationId, shipment.WaybillNumber ?? "", reason, failed.OccurredAt),
            DeterministicGuid.Create(shipment.Id, attempt <= 1 ? ShipmentStatus.DeliveryFailed : $"{ShipmentStatus.DeliveryFailed}#{attempt}"));
        // The courier's reason may name people or places: the public sees only that the attempt failed.
        await session.DiscloseAsync(ShipmentRecords.For(DisclosureKinds.DeliveryFailed, shipment,
            counties.Get(shipment.CountyCode), failed.OccurredAt, "许可证邮寄未能送达",
            ShipmentRecords.Fields(shipment.ApplicationNumber, ShipmentRecords.ByCourier).WithCourier().Attempt(attempt),
            occurrence: attempt <= 1 ? null : attempt.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        LogFailed(logger, shipment.ApplicationNumber, shipment.WaybillNumber ?? "", reason);
    }

    private async Task ReturnedAsync(DbSession session, CourierShipmentRow shipment, CourierEventRow returned, DateTimeOffset now)
    {
        var county = await CountyHalls.CountyAsync(session.Connection, session.Transaction, counties.Get(shipment.CountyCode));
        await session.ExecuteAsync(ReturnedSql, new
        {
            shipment.Id,
            Status = ShipmentStatus.AwaitingPickup,
            PickupCode = PickupCodes.New(),
        });
        await TrackingLog.AddLocalAsync(session, shipment.Id, ShipmentStatus.AwaitingPickup,
            $"许可证已退回，改为窗口领取：请凭取件码到{county.ServiceHallAddress}领取", now);
        await AwaitingPickup.PublishAsync(session, shipment, county, switchedFromCourier: true, returned.OccurredAt);
    }

    /// <summary>Every licence's: Debug. The shipment, its tracking and ShipmentDelivered record it; a failed delivery warns.</summary>
    [LoggerMessage(LogLevel.Debug, "Licence of application {ApplicationNumber} delivered (waybill {WaybillNumber})")]
    private static partial void LogDelivered(ILogger logger, string applicationNumber, string waybillNumber);

    [LoggerMessage(LogLevel.Warning, "Courier could not deliver the licence of application {ApplicationNumber} (waybill {WaybillNumber}): {Reason}")]
    private static partial void LogFailed(ILogger logger, string applicationNumber, string waybillNumber, string reason);

    [LoggerMessage(LogLevel.Information, "Courier event {Status} #{Sequence} of application {ApplicationNumber} kept; it changes nothing in status {ShipmentStatus}")]
    private static partial void LogIgnored(ILogger logger, string status, int sequence, string applicationNumber, string shipmentStatus);
}

/// <summary>A shipment as courier events change it.</summary>
public sealed class CourierShipmentRow : ShipmentKey
{
    public const string Columns = """
        id AS Id, application_id AS ApplicationId, application_number AS ApplicationNumber,
               county_code AS CountyCode, status AS Status, waybill_number AS WaybillNumber,
               last_event_sequence AS LastEventSequence, delivery_attempts AS DeliveryAttempts
        """;

    public string Status { get; init; } = "";
    public string? WaybillNumber { get; init; }
    public int LastEventSequence { get; init; }
    public int DeliveryAttempts { get; init; }
}

/// <summary>A courier event as kept (courier_events).</summary>
public sealed class CourierEventRow
{
    public const string Columns = "sequence AS Sequence, status AS Status, occurred_at AS OccurredAt, detail AS Detail, signed_by AS SignedBy";

    public int Sequence { get; init; }
    public string Status { get; init; } = "";
    public DateTimeOffset OccurredAt { get; init; }
    public string Detail { get; init; } = "";
    public string SignedBy { get; init; } = "";
}
