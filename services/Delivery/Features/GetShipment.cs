using Dapper;
using Google.Protobuf.WellKnownTypes;
using Permits.Contracts.Delivery.V1;
using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Delivery.Features;

/// <summary>The shipment of an application with its tracking history (物流进度), service limit and pickup details.</summary>
public sealed class GetShipment(ServiceDatabase<DeliveryModule> database, CountyDirectory counties)
{
    private const string EventsSql = """
        SELECT sequence AS Sequence, status AS Status, occurred_at AS OccurredAt, detail AS Detail
        FROM shipment_events WHERE shipment_id = @ShipmentId ORDER BY recorded_at, sequence
        """;

    public async Task<Shipment> HandleAsync(GetShipmentRequest request, CancellationToken cancellationToken)
    {
        var applicationId = ShipmentRows.ApplicationIdOf(request.ApplicationId);
        await using var session = await database.BeginAsync(cancellationToken);
        var row = await ShipmentRows.GetAsync(session, applicationId);
        return await ReplyAsync(session, row);
    }

    /// <summary>The reply for a shipment row, read in the caller's transaction.</summary>
    public async Task<Shipment> ReplyAsync(DbSession session, ShipmentRow row)
    {
        var events = await session.QueryAsync<EventRow>(EventsSql, new { ShipmentId = row.Id });
        var reply = new Shipment
        {
            ShipmentId = row.Id.ToString(),
            ApplicationId = row.ApplicationId.ToString(),
            Method = row.Method,
            Status = row.Status,
            Courier = row.Courier ?? "",
            WaybillNumber = row.WaybillNumber ?? "",
            SignedBy = row.SignedBy ?? "",
            ServiceDueBy = row.ServiceDueBy.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            // TODO(auth): only to the shopkeeper and officers once callers are known.
            PickupCode = row.PickupCode ?? "",
            PickupAddress = counties.Get(row.CountyCode).ServiceHallAddress,
            Late = row.LateFlaggedAt is not null,
            ServiceDueProvisional = row.ServiceDueProvisional != 0,
            FailureReason = row.FailureReason ?? "",
            DeliveryAttempts = row.DeliveryAttempts,
        };
        if (row.DeliveredAt is { } deliveredAt)
        {
            reply.DeliveredAt = Timestamp.FromDateTimeOffset(deliveredAt);
        }

        reply.Events.AddRange(events.Select(e => new TrackingEvent
        {
            Sequence = e.Sequence,
            Status = e.Status,
            At = Timestamp.FromDateTimeOffset(e.OccurredAt),
            Detail = e.Detail,
        }));
        return reply;
    }

    private sealed class EventRow
    {
        public int Sequence { get; init; }
        public string Status { get; init; } = "";
        public DateTimeOffset OccurredAt { get; init; }
        public string Detail { get; init; } = "";
    }
}
