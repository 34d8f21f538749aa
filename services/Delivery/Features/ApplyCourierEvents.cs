using Permits.Delivery.Courier;
using Permits.Delivery.Domain;
using Permits.Shared.Data;

namespace Permits.Delivery.Features;

/// <summary>
/// The one path courier events take, from the webhook and from polling alike. Each event is kept as received (once
/// per sequence: a replay changes nothing), and events are applied strictly in sequence order, each once
/// (<see cref="CourierEventEffects"/>: the shipment's status, its tracking row, the event and, for legal steps, the
/// disclosure record), in the transaction that kept them. An event that arrives early (its predecessor missing) is
/// kept and waits until the gap is filled, by a later webhook or by the polling fallback, which lists every event.
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

    // What is known of a shipment, one row per event received (one row with a null sequence before the first), so an
    // event heard again (a repeated webhook, a poll listing every event) costs one read and writes nothing.
    private const string KnownColumns = """
        SELECT s.id AS Id, s.last_event_sequence AS LastEventSequence, e.sequence AS Sequence
        FROM shipments s LEFT JOIN courier_events e ON e.shipment_id = s.id
        """;

    private const string KnownByWaybillSql = KnownColumns + " WHERE s.waybill_number = @WaybillNumber";

    private const string KnownByIdSql = KnownColumns + " WHERE s.id = @Id";

    // The not-exists guard keeps a retried batch from failing on the events a concurrent receiver kept meanwhile.
    private const string ReceiveSql = """
        INSERT INTO courier_events (shipment_id, sequence, status, occurred_at, detail, signed_by, received_at)
        SELECT @ShipmentId, @Sequence, @Status, @OccurredAt, @Detail, @SignedBy, @ReceivedAt
        WHERE NOT EXISTS (SELECT 1 FROM courier_events WHERE shipment_id = @ShipmentId AND sequence = @Sequence)
        """;

    private const string ReceivedSql = """
        SELECT COUNT(*) FROM courier_events WHERE shipment_id = @ShipmentId AND sequence = @Sequence
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
    public async Task<bool> ReceiveAsync(string waybillNumber, IReadOnlyList<CourierEvent> events, CancellationToken ct) =>
        await ReceiveAsync(KnownByWaybillSql, new { WaybillNumber = waybillNumber }, events, null, ct) is not null;

    /// <summary>
    /// Keeps the events not yet received, then applies whatever is next in sequence; <paramref name="also"/> (the poll's
    /// own bookkeeping) joins the same transaction. Returns how many were applied.
    /// </summary>
    public async Task<int> ReceiveAsync(
        Guid shipmentId, IReadOnlyList<CourierEvent> events, CancellationToken ct, Func<DbSession, Task>? also = null) =>
        await ReceiveAsync(KnownByIdSql, new { Id = shipmentId }, events, also, ct) ?? 0;

    /// <summary>
    /// One transaction for what one call hears: what is known of the shipment, the new events kept, and the events
    /// now next in sequence applied, so an event that arrives in order (nearly always: the courier calls back event by
    /// event) costs one commit. A concurrent receiver of the same event (webhook and poll at once) makes the insert fail
    /// on the key after the other committed: everything is read again and only the rest is done. Null when no shipment
    /// matches.
    /// </summary>
    private async Task<int?> ReceiveAsync(
        string knownSql, object knownParameters, IReadOnlyList<CourierEvent> events, Func<DbSession, Task>? also, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var session = await database.BeginAsync(ct);
                var known = await KnownAsync(session, knownSql, knownParameters);
                var applied = 0;
                if (known is not null)
                {
                    var fresh = events.Where(e => e.Sequence > 0 && !known.Received.Contains(e.Sequence))
                        .DistinctBy(e => e.Sequence).OrderBy(e => e.Sequence).ToList();
                    await KeepAsync(session, known.Id, fresh);
                    var next = known.LastEventSequence + 1;
                    if (known.Received.Contains(next) || fresh.Any(e => e.Sequence == next))
                    {
                        applied = await DrainAsync(session, known.Id);
                    }
                }

                if (also is not null)
                {
                    await also(session);
                }

                // Read-only when nothing was new: committing it costs what rolling it back would.
                await session.CommitAsync(ct);
                return known is null ? null : applied;
            }
            catch (System.Data.Common.DbException ex) when (IsDuplicate(ex) && attempt < MaxContended)
            {
                // A concurrent receiver kept one of these events first and has committed: the guard now skips it.
            }
        }
    }

    private async Task KeepAsync(DbSession session, Guid shipmentId, List<CourierEvent> fresh)
    {
        var now = time.GetUtcNow();
        foreach (var courierEvent in fresh)
        {
            await session.ExecuteAsync(ReceiveSql, new
            {
                ShipmentId = shipmentId,
                courierEvent.Sequence,
                Status = TrackingLog.Clip(courierEvent.Status, 30),
                // PostgreSQL stores UTC only, and SQLite text compares right only in one offset.
                OccurredAt = courierEvent.OccurredAt.ToUniversalTime(),
                Detail = TrackingLog.Clip(courierEvent.Detail, 500),
                SignedBy = TrackingLog.Clip(courierEvent.SignedBy?.Trim() ?? "", 50),
                ReceivedAt = now,
            });
        }
    }

    private static async Task<KnownShipment?> KnownAsync(DbSession session, string sql, object parameters)
    {
        var rows = (await session.QueryAsync<KnownRow>(sql, parameters)).ToList();
        return rows.Count == 0
            ? null
            : new KnownShipment(rows[0].Id, rows[0].LastEventSequence, rows.Where(r => r.Sequence is not null).Select(r => r.Sequence!.Value).ToHashSet());
    }

    private sealed record KnownShipment(Guid Id, int LastEventSequence, HashSet<int> Received);

    private sealed class KnownRow
    {
        public Guid Id { get; init; }
        public int LastEventSequence { get; init; }
        public int? Sequence { get; init; }
    }

    private static bool IsDuplicate(System.Data.Common.DbException ex) =>
        ex.SqlState == "23505" || ex.Message.Contains("UNIQUE", StringComparison.OrdinalIgnoreCase)
        || ex.Message.Contains("PRIMARY KEY", StringComparison.OrdinalIgnoreCase);

    /// <summary>Applies the events next in sequence, each once (claimed by the shipment's last sequence), in the caller's transaction.</summary>
    private async Task<int> DrainAsync(DbSession session, Guid shipmentId)
    {
        var applied = 0;
        var contended = 0;
        while (applied < MaxAppliedPerCall)
        {
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
            applied++;
            // Whether the one after is here already: when it is not (nearly always, events come one by one), the
            // shipment is not read again just to find that out.
            if (await session.ExecuteScalarAsync<long>(ReceivedSql, new { ShipmentId = shipmentId, Sequence = next.Sequence + 1 }) == 0)
            {
                return applied;
            }
        }

        return applied;
    }
}
