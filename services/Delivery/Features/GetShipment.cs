using Dapper;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Permits.Contracts.Delivery.V1;
using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Delivery.Features;

/// <summary>The shipment of an application with its tracking history (物流进度) and service limit.</summary>
public sealed class GetShipment(ServiceDatabase<DeliveryModule> database)
{
    private const string ByApplicationSql = """
        SELECT id AS Id, application_id AS ApplicationId, method AS Method, status AS Status, courier AS Courier,
               waybill_number AS WaybillNumber, signed_by AS SignedBy, service_due_by AS ServiceDueBy
        FROM shipments WHERE application_id = @ApplicationId
        """;

    private const string EventsSql = """
        SELECT status AS Status, occurred_at AS OccurredAt, detail AS Detail
        FROM shipment_events WHERE shipment_id = @ShipmentId ORDER BY sequence
        """;

    public async Task<Shipment> HandleAsync(GetShipmentRequest request, CancellationToken cancellationToken)
    {
        var text = request.ApplicationId.Trim();
        if (!Guid.TryParse(text, out var applicationId))
        {
            new FieldErrors()
                .Add("application_id", text.Length == 0 ? "请提供申请 ID" : "申请 ID 格式不正确")
                .ThrowIfAny();
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<ShipmentRow>(ByApplicationSql, new { ApplicationId = applicationId })
            ?? throw new RpcException(new Status(StatusCode.NotFound, "该申请暂无送达记录（许可证尚未发出）"));
        var events = await connection.QueryAsync<EventRow>(EventsSql, new { ShipmentId = row.Id });

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
        };
        reply.Events.AddRange(events.Select(e => new TrackingEvent
        {
            Status = e.Status,
            At = Timestamp.FromDateTimeOffset(e.OccurredAt),
            Detail = e.Detail,
        }));
        return reply;
    }

    private sealed class ShipmentRow
    {
        public Guid Id { get; init; }
        public Guid ApplicationId { get; init; }
        public string Method { get; init; } = "";
        public string Status { get; init; } = "";
        public string? Courier { get; init; }
        public string? WaybillNumber { get; init; }
        public string? SignedBy { get; init; }
        public DateOnly ServiceDueBy { get; init; }
    }

    private sealed class EventRow
    {
        public string Status { get; init; } = "";
        public DateTimeOffset OccurredAt { get; init; }
        public string Detail { get; init; } = "";
    }
}
