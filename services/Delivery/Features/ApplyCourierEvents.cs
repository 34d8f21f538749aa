using Permits.Contracts.Delivery;
using Permits.Contracts.Disclosure;
using Permits.Delivery.Courier;
using Permits.Delivery.Domain;
using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Delivery.Features;

/// <summary>
/// The one path courier events take, from the webhook and from polling alike. Each event is first kept as received
/// (once per sequence: a replay changes nothing), then events are applied strictly in sequence order, each once, in
/// its own transaction: the shipment's status, its tracking row, the event and (for legal steps) the disclosure
/// record. An event that arrives early (its predecessor missing) waits until the gap is filled, by a later webhook or
/// by the polling fallback, which lists every event.
/// </summary>
public sealed partial class ApplyCourierEvents(
    ServiceDatabase<DeliveryModule> database,
    CountyDirectory counties,
    TimeProvider time,
    ILogger<ApplyCourierEvents> logger)
{
    /// <summary>At most this many events applied per call; the rest on the next.</summary>
    private const int MaxAppliedPerCall = 200;

    private const string ByWaybillSql = "SELECT id FROM shipments WHERE waybill_number = @WaybillNumber";

    private const string ReceivedSql = """
        SELECT COUNT(*) FROM courier_events WHERE shipment_id = @ShipmentId AND sequence = @Sequence
        """;

    private const string ReceiveSql = """
        INSERT INTO courier_events (shipment_id, sequence, status, occurred_at, detail, signed_by, received_at)
        VALUES (@ShipmentId, @Sequence, @Status, @OccurredAt, @Detail, @SignedBy, @ReceivedAt)
        """;

    private const string ShipmentSql = """
        SELECT id AS Id, application_id AS ApplicationId, application_number AS ApplicationNumber,
               county_code AS CountyCode, status AS Status, waybill_number AS WaybillNumber,
               last_event_sequence AS LastEventSequence, delivery_attempts AS DeliveryAttempts
        FROM shipments WHERE id = @Id
        """;

    private const string NextEventSql = """
        SELECT sequence AS Sequence, status AS Status, occurred_at AS OccurredAt, detail AS Detail, signed_by AS SignedBy
        FROM courier_events WHERE shipment_id = @ShipmentId AND sequence = @Sequence
        """;

    /// <summary>Claims the event for this transaction: a concurrent applier of the same event finds nothing to update.</summary>
    private const string ClaimSql = """
        UPDATE shipments SET last_event_sequence = @Sequence WHERE id = @Id AND last_event_sequence = @Previous
        """;

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

    /// <summary>Webhook entry: false when no shipment has this waybill.</summary>
    public async Task<bool> ReceiveAsync(string waybillNumber, IReadOnlyList<CourierEvent> events, CancellationToken ct)
    {
        Guid? id;
        await using (var connection = await database.OpenAsync(ct))
        {
            id = await Dapper.SqlMapper.QuerySingleOrDefaultAsync<Guid?>(connection, ByWaybillSql, new { WaybillNumber = waybillNumber });
        }

        if (id is null)
        {
            return false;
        }

        await ReceiveAsync(id.Value, events, ct);
        return true;
    }

    /// <summary>Keeps the events not yet received, then applies whatever is next in sequence. Returns how many were applied.</summary>
    public async Task<int> ReceiveAsync(Guid shipmentId, IReadOnlyList<CourierEvent> events, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        foreach (var courierEvent in events.Where(e => e.Sequence > 0).DistinctBy(e => e.Sequence).OrderBy(e => e.Sequence))
        {
            await using var session = await database.BeginAsync(ct);
            var parameters = new
            {
                ShipmentId = shipmentId,
                courierEvent.Sequence,
                Status = TrackingLog.Clip(courierEvent.Status, 30),
                // PostgreSQL stores UTC only, and SQLite text compares right only in one offset.
                OccurredAt = courierEvent.OccurredAt.ToUniversalTime(),
                Detail = TrackingLog.Clip(courierEvent.Detail, 500),
                SignedBy = TrackingLog.Clip(courierEvent.SignedBy?.Trim() ?? "", 50),
                ReceivedAt = now,
            };
            if (await session.ExecuteScalarAsync<long>(ReceivedSql, parameters) > 0)
            {
                continue;
            }

            try
            {
                await session.ExecuteAsync(ReceiveSql, parameters);
                await session.CommitAsync(ct);
            }
            catch (System.Data.Common.DbException ex) when (IsDuplicate(ex))
            {
                // A concurrent receiver (webhook and poll at once) kept it first: the same event, nothing to do.
            }
        }

        return await DrainAsync(shipmentId, ct);
    }

    private static bool IsDuplicate(System.Data.Common.DbException ex) =>
        ex.SqlState == "23505" || ex.Message.Contains("UNIQUE", StringComparison.OrdinalIgnoreCase)
        || ex.Message.Contains("PRIMARY KEY", StringComparison.OrdinalIgnoreCase);

    private async Task<int> DrainAsync(Guid shipmentId, CancellationToken ct)
    {
        var applied = 0;
        while (applied < MaxAppliedPerCall)
        {
            await using var session = await database.BeginAsync(ct);
            var shipment = await session.QuerySingleOrDefaultAsync<ShipmentRow>(ShipmentSql, new { Id = shipmentId });
            if (shipment is null)
            {
                return applied;
            }

            var next = await session.QuerySingleOrDefaultAsync<EventRow>(
                NextEventSql, new { ShipmentId = shipmentId, Sequence = shipment.LastEventSequence + 1 });
            if (next is null)
            {
                return applied;
            }

            var claimed = await session.ExecuteAsync(ClaimSql, new
            {
                Id = shipmentId,
                next.Sequence,
                Previous = shipment.LastEventSequence,
            });
            if (claimed == 0)
            {
                // Someone else applies it (and carries on from there).
                return applied;
            }

            await ApplyAsync(session, shipment, next);
            await session.CommitAsync(ct);
            applied++;
        }

        return applied;
    }

    private async Task ApplyAsync(DbSession session, ShipmentRow shipment, EventRow e)
    {
        var now = time.GetUtcNow();
        await TrackingLog.AddAsync(session, shipment.Id, e.Sequence, TrackingLog.Clip(e.Status, 30), e.OccurredAt, e.Detail, now);
        var withCourier = ShipmentStatus.WithCourier.Contains(shipment.Status);
        switch (e.Status)
        {
            case CourierStatuses.PickedUp or CourierStatuses.InTransit or CourierStatuses.Returning when withCourier:
                await session.ExecuteAsync(ProgressSql, new { shipment.Id, e.Status });
                await session.PublishAsync(
                    new ShipmentProgressed(shipment.Id, shipment.ApplicationId, shipment.WaybillNumber ?? "", e.Status, e.Detail, e.OccurredAt),
                    DeterministicGuid.Create(shipment.Id, $"{e.Status}#{e.Sequence}"));
                if (shipment.Status != e.Status)
                {
                    await DiscloseProgressAsync(session, shipment, e);
                }

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
    /// gets a record. The courier's own text stays out: it may name people or places.
    /// </summary>
    private async Task DiscloseProgressAsync(DbSession session, ShipmentRow shipment, EventRow e)
    {
        var (kind, summary) = e.Status switch
        {
            CourierStatuses.PickedUp => (DisclosureKinds.ShipmentPickedUp, "许可证已由快递揽收"),
            CourierStatuses.InTransit => (DisclosureKinds.ShipmentInTransit, "许可证寄递途中"),
            _ => (DisclosureKinds.ShipmentReturning, "许可证退回服务大厅途中"),
        };
        var record = Disclosures.For(
            kind, shipment.ApplicationId, shipment.ApplicationNumber, counties.Get(shipment.CountyCode), e.OccurredAt, summary,
            new Dictionary<string, string>
            {
                ["申请编号"] = shipment.ApplicationNumber,
                ["送达方式"] = "邮寄送达",
                ["快递公司"] = CourierCompany.Name,
            });
        await session.DiscloseAsync(record with { RecordId = DeterministicGuid.Create(shipment.ApplicationId, $"{kind}#{e.Sequence}") });
    }

    private async Task DeliveredAsync(DbSession session, ShipmentRow shipment, EventRow delivered)
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
        await session.DiscloseAsync(Disclosures.For(
            DisclosureKinds.ShipmentDelivered, shipment.ApplicationId, shipment.ApplicationNumber,
            counties.Get(shipment.CountyCode), delivered.OccurredAt, "许可证已送达",
            new Dictionary<string, string>
            {
                ["申请编号"] = shipment.ApplicationNumber,
                ["送达方式"] = "邮寄送达",
                ["签收"] = signer.Length > 0 ? PersonalData.MaskName(signer) : "未记录签收人",
            }));
        LogDelivered(logger, shipment.ApplicationNumber, shipment.WaybillNumber ?? "");
    }

    private async Task FailedAsync(DbSession session, ShipmentRow shipment, EventRow failed)
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
        var record = Disclosures.For(
            DisclosureKinds.DeliveryFailed, shipment.ApplicationId, shipment.ApplicationNumber,
            counties.Get(shipment.CountyCode), failed.OccurredAt, "许可证邮寄未能送达",
            new Dictionary<string, string>
            {
                ["申请编号"] = shipment.ApplicationNumber,
                ["送达方式"] = "邮寄送达",
                ["快递公司"] = CourierCompany.Name,
                ["投递次数"] = attempt.ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
        await session.DiscloseAsync(attempt <= 1
            ? record
            : record with { RecordId = DeterministicGuid.Create(shipment.ApplicationId, $"{DisclosureKinds.DeliveryFailed}#{attempt}") });
        LogFailed(logger, shipment.ApplicationNumber, shipment.WaybillNumber ?? "", reason);
    }

    private async Task ReturnedAsync(DbSession session, ShipmentRow shipment, EventRow returned, DateTimeOffset now)
    {
        var county = counties.Get(shipment.CountyCode);
        await session.ExecuteAsync(ReturnedSql, new
        {
            shipment.Id,
            Status = ShipmentStatus.AwaitingPickup,
            PickupCode = PickupCodes.New(),
        });
        await TrackingLog.AddLocalAsync(session, shipment.Id, ShipmentStatus.AwaitingPickup,
            $"许可证已退回，改为窗口领取：请凭取件码到{county.ServiceHallAddress}领取", now);
        await AwaitingPickup.PublishAsync(session, shipment.Id, shipment.ApplicationId, shipment.ApplicationNumber, county,
            switchedFromCourier: true, returned.OccurredAt);
    }

    [LoggerMessage(LogLevel.Information, "Licence of application {ApplicationNumber} delivered (waybill {WaybillNumber})")]
    private static partial void LogDelivered(ILogger logger, string applicationNumber, string waybillNumber);

    [LoggerMessage(LogLevel.Warning, "Courier could not deliver the licence of application {ApplicationNumber} (waybill {WaybillNumber}): {Reason}")]
    private static partial void LogFailed(ILogger logger, string applicationNumber, string waybillNumber, string reason);

    [LoggerMessage(LogLevel.Information, "Courier event {Status} #{Sequence} of application {ApplicationNumber} kept; it changes nothing in status {ShipmentStatus}")]
    private static partial void LogIgnored(ILogger logger, string status, int sequence, string applicationNumber, string shipmentStatus);

    private sealed class ShipmentRow
    {
        public Guid Id { get; init; }
        public Guid ApplicationId { get; init; }
        public string ApplicationNumber { get; init; } = "";
        public string CountyCode { get; init; } = "";
        public string Status { get; init; } = "";
        public string? WaybillNumber { get; init; }
        public int LastEventSequence { get; init; }
        public int DeliveryAttempts { get; init; }
    }

    private sealed class EventRow
    {
        public int Sequence { get; init; }
        public string Status { get; init; } = "";
        public DateTimeOffset OccurredAt { get; init; }
        public string Detail { get; init; } = "";
        public string SignedBy { get; init; } = "";
    }
}

/// <summary>The licence is put out for pickup at the service hall: event and disclosure record, in the caller's transaction.</summary>
public static class AwaitingPickup
{
    public static async Task PublishAsync(
        DbSession session, Guid shipmentId, Guid applicationId, string applicationNumber, County county,
        bool switchedFromCourier, DateTimeOffset at)
    {
        await session.PublishAsync(
            new ShipmentAwaitingPickup(shipmentId, applicationId, county.Code, county.ServiceHallAddress, switchedFromCourier, at),
            DeterministicGuid.Create(shipmentId, ShipmentStatus.AwaitingPickup));
        await session.DiscloseAsync(Disclosures.For(
            DeliveryDisclosureKinds.AwaitingPickup, applicationId, applicationNumber, county, at,
            switchedFromCourier ? "许可证邮寄未能送达，改为窗口领取" : "许可证已备妥，待窗口领取",
            new Dictionary<string, string>
            {
                ["申请编号"] = applicationNumber,
                ["送达方式"] = "窗口领取",
                ["领取地点"] = county.ServiceHallAddress,
            }));
    }
}
