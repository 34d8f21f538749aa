using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Permits.Contracts.Delivery.V1;
using Permits.Delivery.Domain;
using Permits.Delivery.Security;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Steps;

namespace Permits.Delivery.Features;

/// <summary>
/// The shipments of the officer's county (from the token, never the request): late and not yet served first, then by
/// service limit. Filter by status and by lateness; pages by offset (a page token is the next offset).
/// </summary>
public sealed class ListShipments(ServiceDatabase<DeliveryModule> database)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    public static readonly IReadOnlyList<string> Statuses =
    [
        ShipmentStatus.PendingBooking, ShipmentStatus.Dispatched, ShipmentStatus.PickedUp, ShipmentStatus.InTransit,
        ShipmentStatus.DeliveryFailed, ShipmentStatus.RedeliveryRequested, ShipmentStatus.Returning,
        ShipmentStatus.AwaitingPickup, ShipmentStatus.Delivered,
    ];

    // @Status = '' means any status; @LateOnly = 1 only the flagged ones. Late and open first.
    private const string Filter = """
        FROM shipments s
        WHERE s.county_code = @CountyCode AND (@Status = '' OR s.status = @Status)
          AND (@LateOnly = 0 OR s.late_flagged_at IS NOT NULL)
        """;

    private const string Columns = """
        SELECT s.id AS Id, s.application_id AS ApplicationId, s.application_number AS ApplicationNumber,
               s.method AS Method, s.status AS Status, s.waybill_number AS WaybillNumber,
               s.service_due_by AS ServiceDueBy, s.service_due_provisional AS ServiceDueProvisional,
               s.late_flagged_at AS LateFlaggedAt, s.delivery_attempts AS DeliveryAttempts
        """;

    private const string Order = """
        ORDER BY CASE WHEN s.late_flagged_at IS NOT NULL AND s.status <> @Delivered THEN 0 ELSE 1 END,
                 s.service_due_by, s.application_number
        """;

    private const string PageSqlSqlite = Columns + "\n" + Filter + "\n" + Order + "\nLIMIT @Limit OFFSET @Offset";

    private const string PageSqlPostgres = PageSqlSqlite;

    private const string PageSqlSqlServer = Columns + "\n" + Filter + "\n" + Order + "\nOFFSET @Offset ROWS FETCH NEXT @Limit ROWS ONLY";

    private const string CountSql = "SELECT COUNT(*)\n" + Filter;

    private const string LateOpenSql = """
        SELECT COUNT(*) FROM shipments
        WHERE county_code = @CountyCode AND late_flagged_at IS NOT NULL AND status <> @Delivered
        """;

    public async Task<ListShipmentsResponse> HandleAsync(ListShipmentsRequest request, Officer officer, CancellationToken cancellationToken)
    {
        HallSteps.RequireRole(officer, HallSteps.List);
        var errors = new FieldErrors();
        var status = request.Status.Trim();
        if (status.Length > 0 && !Statuses.Contains(status))
        {
            errors.Add("status", "没有这种送达状态");
        }

        if (request.PageSize is < 0 or > MaxPageSize)
        {
            errors.Add("page_size", $"每页 1 至 {MaxPageSize} 条");
        }

        var offset = 0;
        if (request.PageToken.Length > 0
            && (!int.TryParse(request.PageToken, NumberStyles.None, CultureInfo.InvariantCulture, out offset) || offset < 0))
        {
            errors.Add("page_token", "分页标记无效");
        }

        errors.ThrowIfAny();
        var limit = request.PageSize == 0 ? DefaultPageSize : request.PageSize;
        var parameters = new
        {
            CountyCode = officer.CountyCode,
            Status = status,
            LateOnly = request.LateOnly ? 1 : 0,
            Delivered = ShipmentStatus.Delivered,
            Limit = limit,
            Offset = offset,
        };

        await using var session = await database.BeginAsync(cancellationToken);
        var rows = (await session.QueryAsync<SummaryRow>(PageSql(database.Dialect), parameters)).ToList();
        var total = await session.ExecuteScalarAsync<long>(CountSql, parameters);
        var lateOpen = await session.ExecuteScalarAsync<long>(LateOpenSql, parameters);
        var reply = new ListShipmentsResponse
        {
            Total = (int)total,
            LateOpen = (int)lateOpen,
            NextPageToken = offset + rows.Count < total ? (offset + rows.Count).ToString(CultureInfo.InvariantCulture) : "",
        };
        foreach (var row in rows)
        {
            var summary = new ShipmentSummary
            {
                ShipmentId = row.Id.ToString(),
                ApplicationId = row.ApplicationId.ToString(),
                ApplicationNumber = row.ApplicationNumber,
                Method = row.Method,
                Status = row.Status,
                WaybillNumber = row.WaybillNumber ?? "",
                ServiceDueBy = ChinaTime.Text(row.ServiceDueBy),
                ServiceDueProvisional = row.ServiceDueProvisional != 0,
                Late = row.LateFlaggedAt is not null,
                DeliveryAttempts = row.DeliveryAttempts,
            };
            var last = await session.QuerySingleOrDefaultAsync<TrackingRow>(LastEventSql(database.Dialect), new { ShipmentId = row.Id });
            if (last is not null)
            {
                summary.LastEvent = new TrackingEvent
                {
                    Sequence = last.Sequence,
                    Status = last.Status,
                    At = Timestamp.FromDateTimeOffset(last.OccurredAt),
                    Detail = last.Detail,
                };
            }

            reply.Shipments.Add(summary);
        }

        return reply;
    }

    private const string LastEventSqlSqlite = $"""
        SELECT {TrackingRow.Columns}
        FROM shipment_events WHERE shipment_id = @ShipmentId ORDER BY recorded_at DESC, sequence DESC LIMIT 1
        """;

    private const string LastEventSqlPostgres = LastEventSqlSqlite;

    private const string LastEventSqlSqlServer = $"""
        SELECT TOP (1) {TrackingRow.Columns}
        FROM shipment_events WHERE shipment_id = @ShipmentId ORDER BY recorded_at DESC, sequence DESC
        """;

    private static string PageSql(SqlDialect dialect) => dialect switch
    {
        SqlDialect.SqlServer => PageSqlSqlServer,
        SqlDialect.PostgreSql => PageSqlPostgres,
        _ => PageSqlSqlite,
    };

    private static string LastEventSql(SqlDialect dialect) => dialect switch
    {
        SqlDialect.SqlServer => LastEventSqlSqlServer,
        SqlDialect.PostgreSql => LastEventSqlPostgres,
        _ => LastEventSqlSqlite,
    };

    private sealed class SummaryRow
    {
        public Guid Id { get; init; }
        public Guid ApplicationId { get; init; }
        public string ApplicationNumber { get; init; } = "";
        public string Method { get; init; } = "";
        public string Status { get; init; } = "";
        public string? WaybillNumber { get; init; }
        public DateOnly ServiceDueBy { get; init; }
        public int ServiceDueProvisional { get; init; }
        public DateTimeOffset? LateFlaggedAt { get; init; }
        public int DeliveryAttempts { get; init; }
    }
}
