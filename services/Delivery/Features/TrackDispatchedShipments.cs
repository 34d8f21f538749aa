using System.Diagnostics;
using Dapper;
using Permits.Contracts.Delivery;
using Permits.Contracts.Disclosure;
using Permits.Delivery.Courier;
using Permits.Delivery.Domain;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Hosting;

namespace Permits.Delivery.Features;

/// <summary>
/// Follows dispatched shipments at the courier. Each new event (sequence above the last one applied) is applied
/// once, in sequence order, in its own transaction: the tracking row, the shipment's progress and, at the end,
/// <see cref="ShipmentDelivered"/> or <see cref="DeliveryFailed"/> with its disclosure record. The courier may
/// repeat events or list them out of order; the sequence decides.
/// </summary>
public sealed partial class TrackDispatchedShipments(
    ServiceDatabase<DeliveryModule> database,
    CountyDirectory counties,
    DeliverySettings settings,
    TimeProvider time,
    ILogger<TrackDispatchedShipments> logger)
{
    private const string Columns = """
        id AS Id, application_id AS ApplicationId, application_number AS ApplicationNumber, county_code AS CountyCode,
               waybill_number AS WaybillNumber, last_event_sequence AS LastEventSequence,
               tracking_errors AS TrackingErrors, trace_parent AS TraceParent
        """;

    private const string DueSqlSqlite = $"""
        SELECT {Columns}
        FROM shipments WHERE status = @Status AND next_poll_at <= @Now
        ORDER BY next_poll_at, id LIMIT @Limit
        """;

    private const string DueSqlPostgres = DueSqlSqlite;

    private const string DueSqlSqlServer = $"""
        SELECT TOP (@Limit) {Columns}
        FROM shipments WHERE status = @Status AND next_poll_at <= @Now
        ORDER BY next_poll_at, id
        """;

    /// <summary>Claims the event for this transaction: a second instance applying the same event finds nothing to update.</summary>
    private const string AdvanceSql = """
        UPDATE shipments SET last_event_sequence = @Sequence
        WHERE id = @Id AND status = @Dispatched AND last_event_sequence < @Sequence
        """;

    private const string DeliveredSql = """
        UPDATE shipments SET status = @Delivered, signed_by = @SignedBy, delivered_at = @DeliveredAt, next_poll_at = NULL
        WHERE id = @Id
        """;

    private const string FailedSql = """
        UPDATE shipments SET status = @DeliveryFailed, failure_reason = @Reason, failed_at = @FailedAt, next_poll_at = NULL
        WHERE id = @Id
        """;

    private const string PolledSql = """
        UPDATE shipments SET next_poll_at = @NextPollAt, tracking_errors = 0
        WHERE id = @Id AND status = @Dispatched
        """;

    private const string PollFailedSql = """
        UPDATE shipments SET tracking_errors = tracking_errors + 1, last_error = @Error, next_poll_at = @NextPollAt
        WHERE id = @Id AND status = @Dispatched
        """;

    public async Task<CourierPass> RunOnceAsync(ICourierClient courier, CancellationToken cancellationToken)
    {
        List<DispatchedRow> due;
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            due = (await connection.QueryAsync<DispatchedRow>(DueSql(database.Dialect), new
            {
                Status = ShipmentStatus.Dispatched,
                Now = time.GetUtcNow(),
                Limit = DeliverySettings.BatchSize,
            })).AsList();
        }

        foreach (var shipment in due)
        {
            using var activity = PermitsTelemetry.Source.StartActivity("courier tracking", ActivityKind.Internal, shipment.TraceParent);
            activity?.SetTag("permits.application_number", shipment.ApplicationNumber);

            IReadOnlyList<CourierEvent> events;
            try
            {
                events = await courier.GetEventsAsync(shipment.WaybillNumber, cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                await RecordFailureAsync(shipment, ex, cancellationToken);
                if (CourierException.IsOutage(ex))
                {
                    return new CourierPass(due.Count, CourierUnavailable: true);
                }

                continue;
            }

            // PostgreSQL stores UTC only, and SQLite text compares right only in one offset.
            var fresh = events
                .Where(e => e.Sequence > shipment.LastEventSequence)
                .DistinctBy(e => e.Sequence)
                .OrderBy(e => e.Sequence)
                .Select(e => e with { OccurredAt = e.OccurredAt.ToUniversalTime() });
            var tracking = true;
            foreach (var courierEvent in fresh)
            {
                tracking = await ApplyAsync(shipment, courierEvent, cancellationToken);
                if (!tracking)
                {
                    break;
                }
            }

            if (tracking)
            {
                await using var connection = await database.OpenAsync(cancellationToken);
                await connection.ExecuteAsync(PolledSql, new
                {
                    shipment.Id,
                    Dispatched = ShipmentStatus.Dispatched,
                    NextPollAt = time.GetUtcNow() + settings.TrackingPoll,
                });
            }
        }

        return new CourierPass(due.Count, CourierUnavailable: false);
    }

    /// <summary>Applies one event; false when the shipment needs no more tracking (ended, or taken by another instance).</summary>
    private async Task<bool> ApplyAsync(DispatchedRow shipment, CourierEvent courierEvent, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var session = await database.BeginAsync(cancellationToken);
        var claimed = await session.ExecuteAsync(AdvanceSql, new
        {
            shipment.Id,
            courierEvent.Sequence,
            Dispatched = ShipmentStatus.Dispatched,
        });
        if (claimed == 0)
        {
            return false;
        }

        var status = TrackingLog.Clip(courierEvent.Status, 30);
        await TrackingLog.AddAsync(session, shipment.Id, courierEvent.Sequence, status, courierEvent.OccurredAt,
            courierEvent.Detail, now);

        var ended = courierEvent.Status switch
        {
            CourierStatuses.Delivered => await DeliveredAsync(session, shipment, courierEvent),
            CourierStatuses.Failed => await FailedAsync(session, shipment, courierEvent),
            _ => false,
        };
        await session.CommitAsync(cancellationToken);
        return !ended;
    }

    private async Task<bool> DeliveredAsync(DbSession session, DispatchedRow shipment, CourierEvent delivered)
    {
        var signer = TrackingLog.Clip(delivered.SignedBy?.Trim() ?? "", 50);
        await session.ExecuteAsync(DeliveredSql, new
        {
            shipment.Id,
            Delivered = ShipmentStatus.Delivered,
            SignedBy = signer,
            DeliveredAt = delivered.OccurredAt,
        });
        await session.PublishAsync(
            new ShipmentDelivered(shipment.Id, shipment.ApplicationId, shipment.WaybillNumber, signer, delivered.OccurredAt),
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
        LogDelivered(logger, shipment.ApplicationNumber, shipment.WaybillNumber);
        return true;
    }

    private async Task<bool> FailedAsync(DbSession session, DispatchedRow shipment, CourierEvent failed)
    {
        var reason = TrackingLog.Clip(failed.Detail.Trim().Length > 0 ? failed.Detail.Trim() : "快递投递未成功", 500);
        await session.ExecuteAsync(FailedSql, new
        {
            shipment.Id,
            DeliveryFailed = ShipmentStatus.DeliveryFailed,
            Reason = reason,
            FailedAt = failed.OccurredAt,
        });
        await session.PublishAsync(
            new DeliveryFailed(shipment.Id, shipment.ApplicationId, shipment.WaybillNumber, reason, failed.OccurredAt),
            DeterministicGuid.Create(shipment.Id, ShipmentStatus.DeliveryFailed));
        // The courier's reason may name people or places: the public sees only that the attempt failed.
        await session.DiscloseAsync(Disclosures.For(
            DisclosureKinds.DeliveryFailed, shipment.ApplicationId, shipment.ApplicationNumber,
            counties.Get(shipment.CountyCode), failed.OccurredAt, "许可证邮寄未能送达",
            new Dictionary<string, string>
            {
                ["申请编号"] = shipment.ApplicationNumber,
                ["送达方式"] = "邮寄送达",
                ["快递公司"] = CourierCompany.Name,
            }));
        LogFailed(logger, shipment.ApplicationNumber, shipment.WaybillNumber, reason);
        return true;
    }

    private async Task RecordFailureAsync(DispatchedRow shipment, Exception exception, CancellationToken cancellationToken)
    {
        var errors = shipment.TrackingErrors + 1;
        var retryIn = settings.Backoff(errors);
        LogTrackingFailed(logger, exception, shipment.ApplicationNumber, shipment.WaybillNumber, errors, retryIn.TotalMilliseconds);

        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(PollFailedSql, new
        {
            shipment.Id,
            Dispatched = ShipmentStatus.Dispatched,
            Error = TrackingLog.Clip($"{exception.GetType().Name}: {exception.Message}", 1000),
            NextPollAt = time.GetUtcNow() + retryIn,
        });
    }

    private static string DueSql(SqlDialect dialect) => dialect switch
    {
        SqlDialect.SqlServer => DueSqlSqlServer,
        SqlDialect.PostgreSql => DueSqlPostgres,
        _ => DueSqlSqlite,
    };

    [LoggerMessage(LogLevel.Information, "Licence of application {ApplicationNumber} delivered (waybill {WaybillNumber})")]
    private static partial void LogDelivered(ILogger logger, string applicationNumber, string waybillNumber);

    [LoggerMessage(LogLevel.Warning, "Courier could not deliver the licence of application {ApplicationNumber} (waybill {WaybillNumber}): {Reason}")]
    private static partial void LogFailed(ILogger logger, string applicationNumber, string waybillNumber, string reason);

    [LoggerMessage(LogLevel.Warning, "Tracking waybill {WaybillNumber} of application {ApplicationNumber} failed ({Errors} in a row); next poll in {RetryInMs} ms")]
    private static partial void LogTrackingFailed(ILogger logger, Exception exception, string applicationNumber, string waybillNumber, int errors, double retryInMs);

    private sealed class DispatchedRow
    {
        public Guid Id { get; init; }
        public Guid ApplicationId { get; init; }
        public string ApplicationNumber { get; init; } = "";
        public string CountyCode { get; init; } = "";
        public string WaybillNumber { get; init; } = "";
        public int LastEventSequence { get; init; }
        public int TrackingErrors { get; init; }
        public string? TraceParent { get; init; }
    }
}
