using Permits.Delivery.Courier;
using Permits.Delivery.Domain;
using Permits.Shared.Data;

namespace Permits.Delivery.Features;

/// <summary>
/// The one path courier events take, from the webhook and from polling alike. Each event is first kept as received
/// (once per sequence: a replay changes nothing), then events are applied strictly in sequence order, each once, in
/// its own transaction (<see cref="CourierEventEffects"/>: the shipment's status, its tracking row, the event and,
/// for legal steps, the disclosure record). An event that arrives early (its predecessor missing) waits until the gap is filled, by a later webhook or
/// by the polling fallback, which lists every event.
/// </summary>
public sealed class ApplyCourierEvents(
    ServiceDatabase<DeliveryModule> database,
    CourierEventEffects effects,
    DeliverySettings settings,
    TimeProvider time)
{
    /// <summary>At most this many events applied per call; the rest on the next.</summary>
    private const int MaxAppliedPerCall = 200;

    /// <summary>How many times one call looks again after another applier took the event it meant to apply.</summary>
    private const int MaxContended = 10;

    private const string ByWaybillSql = "SELECT id FROM shipments WHERE waybill_number = @WaybillNumber";

    private const string ReceivedSql = """
        SELECT COUNT(*) FROM courier_events WHERE shipment_id = @ShipmentId AND sequence = @Sequence
        """;

    private const string ReceiveSql = """
        INSERT INTO courier_events (shipment_id, sequence, status, occurred_at, detail, signed_by, received_at)
        VALUES (@ShipmentId, @Sequence, @Status, @OccurredAt, @Detail, @SignedBy, @ReceivedAt)
        """;

    private const string ShipmentSql = $"SELECT {CourierShipmentRow.Columns} FROM shipments WHERE id = @Id";

    private const string NextEventSql = $"""
        SELECT {CourierEventRow.Columns} FROM courier_events WHERE shipment_id = @ShipmentId AND sequence = @Sequence
        """;

    /// <summary>
    /// Claims the event for this transaction: a concurrent applier of the same event finds nothing to update. The
    /// courier has just been heard of, so the fallback poll (if one is still due) moves to a full silence period away.
    /// </summary>
    private const string ClaimSql = """
        UPDATE shipments SET last_event_sequence = @Sequence,
            next_poll_at = CASE WHEN next_poll_at IS NULL THEN NULL ELSE @NextPollAt END
        WHERE id = @Id AND last_event_sequence = @Previous
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
        var contended = 0;
        while (applied < MaxAppliedPerCall)
        {
            await using var session = await database.BeginAsync(ct);
            var shipment = await session.QuerySingleOrDefaultAsync<CourierShipmentRow>(ShipmentSql, new { Id = shipmentId });
            if (shipment is null)
            {
                return applied;
            }

            var next = await session.QuerySingleOrDefaultAsync<CourierEventRow>(
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
                NextPollAt = time.GetUtcNow() + settings.NextPoll,
            });
            if (claimed == 0)
            {
                // Someone else applied it, and may have stopped there (it saw no next event before committing; ours
                // may have come since): look again, now that its commit is what the claim waited for.
                if (++contended > MaxContended)
                {
                    return applied;
                }

                continue;
            }

            await effects.ApplyAsync(session, shipment, next);
            // Whether the one after is here already, asked before the commit: when it is not (nearly always, events
            // come one by one), no transaction is opened just to find that out.
            var more = await session.ExecuteScalarAsync<long>(ReceivedSql, new { ShipmentId = shipmentId, Sequence = next.Sequence + 1 }) > 0;
            await session.CommitAsync(ct);
            applied++;
            if (!more)
            {
                return applied;
            }
        }

        return applied;
    }
}
