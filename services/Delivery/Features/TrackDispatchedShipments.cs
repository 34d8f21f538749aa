using System.Diagnostics;
using Dapper;
using Permits.Delivery.Courier;
using Permits.Delivery.Domain;
using Permits.Shared.Data;
using Permits.Shared.Hosting;

namespace Permits.Delivery.Features;

/// <summary>
/// The polling fallback (with webhooks on, for shipments silent for <see cref="DeliverySettings.SilentAfter"/>): asks the courier for every event of each shipment it holds and hands them to
/// <see cref="ApplyCourierEvents"/>, the same path webhooks take, so an event lost, replayed or reordered by the
/// webhook is caught here and still applied once, in order.
/// </summary>
public sealed partial class TrackDispatchedShipments(
    ServiceDatabase<DeliveryModule> database,
    ApplyCourierEvents apply,
    FlagLateShipments late,
    DeliverySettings settings,
    TimeProvider time,
    ILogger<TrackDispatchedShipments> logger)
{
    private const string Columns = """
        id AS Id, application_number AS ApplicationNumber, waybill_number AS WaybillNumber,
               tracking_errors AS TrackingErrors, trace_parent AS TraceParent
        """;

    private const string DueSqlSqlite = $"""
        SELECT {Columns}
        FROM shipments WHERE status IN {ShipmentStatus.WithCourierInList} AND next_poll_at <= @Now
        ORDER BY next_poll_at, id LIMIT @Limit
        """;

    private const string DueSqlPostgres = DueSqlSqlite;

    private const string DueSqlSqlServer = $"""
        SELECT TOP (@Limit) {Columns}
        FROM shipments WHERE status IN {ShipmentStatus.WithCourierInList} AND next_poll_at <= @Now
        ORDER BY next_poll_at, id
        """;

    private const string PolledSql = $"""
        UPDATE shipments SET next_poll_at = @NextPollAt, tracking_errors = 0
        WHERE id = @Id AND status IN {ShipmentStatus.WithCourierInList}
        """;

    private const string PollFailedSql = $"""
        UPDATE shipments SET tracking_errors = tracking_errors + 1, last_error = @Error, next_poll_at = @NextPollAt
        WHERE id = @Id AND status IN {ShipmentStatus.WithCourierInList}
        """;

    /// <summary>
    /// How often a pass also looks for shipments past their service limit. The limit is a day (China time), so this
    /// need not be every tracking interval: a query each pass read the open shipments several times a second for a
    /// flag that can change once a day or when a shipment is opened.
    /// </summary>
    public static readonly TimeSpan LateCheckEvery = TimeSpan.FromSeconds(5);

    /// <summary>When this process last looked for late shipments (Unix ms; the first pass looks).</summary>
    private long _lateCheckedAt = long.MinValue;

    public async Task<CourierPass> RunOnceAsync(ICourierClient courier, CancellationToken cancellationToken)
    {
        var startedAt = time.GetUtcNow().ToUnixTimeMilliseconds();
        var lastCheck = Interlocked.Read(ref _lateCheckedAt);
        if (lastCheck == long.MinValue || startedAt - lastCheck >= LateCheckEvery.TotalMilliseconds)
        {
            await late.RunOnceAsync(cancellationToken);
            Interlocked.Exchange(ref _lateCheckedAt, startedAt);
        }

        List<TrackedRow> due;
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            var parameters = new DynamicParameters(ShipmentStatus.WithCourierParameters);
            parameters.Add("Now", time.GetUtcNow());
            parameters.Add("Limit", DeliverySettings.BatchSize);
            due = (await connection.QueryAsync<TrackedRow>(DueSql(database.Dialect), parameters)).AsList();
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

            // The next poll is set in the transaction that applies what this one heard.
            var parameters = new DynamicParameters(ShipmentStatus.WithCourierParameters);
            parameters.Add("Id", shipment.Id);
            parameters.Add("NextPollAt", time.GetUtcNow() + settings.NextPoll);
            await apply.ReceiveAsync(shipment.Id, events, cancellationToken, session => session.ExecuteAsync(PolledSql, parameters));
        }

        return new CourierPass(due.Count, CourierUnavailable: false);
    }

    private async Task RecordFailureAsync(TrackedRow shipment, Exception exception, CancellationToken cancellationToken)
    {
        var errors = shipment.TrackingErrors + 1;
        var retryIn = settings.Backoff(errors);
        LogTrackingFailed(logger, exception, shipment.ApplicationNumber, shipment.WaybillNumber, errors, retryIn.TotalMilliseconds);

        await using var connection = await database.OpenAsync(cancellationToken);
        var parameters = new DynamicParameters(ShipmentStatus.WithCourierParameters);
        parameters.Add("Id", shipment.Id);
        parameters.Add("Error", TrackingLog.Clip($"{exception.GetType().Name}: {exception.Message}", 1000));
        parameters.Add("NextPollAt", time.GetUtcNow() + retryIn);
        await connection.ExecuteAsync(PollFailedSql, parameters);
    }

    private static string DueSql(SqlDialect dialect) => dialect switch
    {
        SqlDialect.SqlServer => DueSqlSqlServer,
        SqlDialect.PostgreSql => DueSqlPostgres,
        _ => DueSqlSqlite,
    };

    [LoggerMessage(LogLevel.Warning, "Tracking waybill {WaybillNumber} of application {ApplicationNumber} failed ({Errors} in a row); next poll in {RetryInMs} ms")]
    private static partial void LogTrackingFailed(ILogger logger, Exception exception, string applicationNumber, string waybillNumber, int errors, double retryInMs);

    private sealed class TrackedRow
    {
        public Guid Id { get; init; }
        public string ApplicationNumber { get; init; } = "";
        public string WaybillNumber { get; init; } = "";
        public int TrackingErrors { get; init; }
        public string? TraceParent { get; init; }
    }
}
