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
/// Hands licences waiting for a courier to the courier, one batch per pass. A booking is keyed by the shipment id,
/// so repeating it (after a crash between the courier's answer and our commit, or from a second instance) gets the
/// same waybill back. The dispatch, its tracking row, <see cref="ShipmentDispatched"/> and the disclosure record
/// commit together; a failed booking only moves the shipment's next attempt back (capped exponential backoff).
/// Everything lives in the database, so a restart carries on where it stopped.
/// </summary>
public sealed partial class BookPendingShipments(
    ServiceDatabase<DeliveryModule> database,
    CountyDirectory counties,
    DeliverySettings settings,
    TimeProvider time,
    ILogger<BookPendingShipments> logger)
{
    private const string Columns = """
        id AS Id, application_id AS ApplicationId, application_number AS ApplicationNumber, county_code AS CountyCode,
               recipient_name AS RecipientName, recipient_phone AS RecipientPhone, address AS Address,
               attempts AS Attempts, trace_parent AS TraceParent
        """;

    private const string DueSqlSqlite = $"""
        SELECT {Columns}
        FROM shipments WHERE status = @Status AND next_attempt_at <= @Now
        ORDER BY next_attempt_at, id LIMIT @Limit
        """;

    private const string DueSqlPostgres = DueSqlSqlite;

    private const string DueSqlSqlServer = $"""
        SELECT TOP (@Limit) {Columns}
        FROM shipments WHERE status = @Status AND next_attempt_at <= @Now
        ORDER BY next_attempt_at, id
        """;

    private const string DispatchSql = """
        UPDATE shipments
        SET status = @Dispatched, courier = @Courier, waybill_number = @WaybillNumber, dispatched_at = @Now,
            next_attempt_at = NULL, last_error = NULL, next_poll_at = @FirstPollAt
        WHERE id = @Id AND status = @PendingBooking
        """;

    private const string FailedSql = """
        UPDATE shipments SET attempts = attempts + 1, last_error = @Error, next_attempt_at = @NextAttemptAt
        WHERE id = @Id AND status = @PendingBooking
        """;

    public async Task<CourierPass> RunOnceAsync(ICourierClient courier, CancellationToken cancellationToken)
    {
        List<PendingRow> due;
        var senders = new Dictionary<string, County>(StringComparer.Ordinal);
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            due = (await connection.QueryAsync<PendingRow>(DueSql(database.Dialect), new
            {
                Status = ShipmentStatus.PendingBooking,
                Now = time.GetUtcNow(),
                Limit = DeliverySettings.BatchSize,
            })).AsList();

            // The sender's address the courier returns an undeliverable licence to: the county's hall as now set.
            foreach (var code in due.Select(s => s.CountyCode).Distinct(StringComparer.Ordinal))
            {
                senders[code] = await CountyHalls.CountyAsync(connection, null, counties.Get(code));
            }
        }

        foreach (var shipment in due)
        {
            using var activity = PermitsTelemetry.Source.StartActivity("courier booking", ActivityKind.Internal, shipment.TraceParent);
            activity?.SetTag("permits.application_number", shipment.ApplicationNumber);

            // 交寄 is when the shipment is handed to the courier, i.e. before the booking call: a pickup the courier reports
            // while the call is still returning must not precede it.
            var handedOverAt = time.GetUtcNow();
            CourierBooking booking;
            try
            {
                // The shipment id is the idempotency key: a repeated booking gets the first waybill back.
                booking = await courier.BookAsync(RequestFor(shipment, senders[shipment.CountyCode]), shipment.Id.ToString(), cancellationToken);
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

            // A repeated booking (Delivery stopped after the courier took the first one and before recording it) gets
            // the first booking back: the licence was handed over then, and the courier's pickup may already follow it.
            var dispatchedAt = booking.BookedAt != default && booking.BookedAt < handedOverAt ? booking.BookedAt : handedOverAt;
            await DispatchAsync(shipment, booking, dispatchedAt, cancellationToken);
        }

        return new CourierPass(due.Count, CourierUnavailable: false);
    }

    private CourierBookingRequest RequestFor(PendingRow shipment, County county) =>
        new(
            shipment.ApplicationNumber,
            shipment.RecipientName,
            shipment.RecipientPhone,
            shipment.Address ?? "",
            county.Authority,
            county.ServiceHallAddress,
            settings.CallbackUrl);

    private async Task DispatchAsync(PendingRow shipment, CourierBooking booking, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var county = counties.Get(shipment.CountyCode);
        var waybill = TrackingLog.Clip(booking.WaybillNumber, 40);

        await using var session = await database.BeginAsync(cancellationToken);
        var moved = await session.ExecuteAsync(DispatchSql, new
        {
            shipment.Id,
            Dispatched = ShipmentStatus.Dispatched,
            PendingBooking = ShipmentStatus.PendingBooking,
            Courier = CourierCompany.Name,
            WaybillNumber = waybill,
            Now = now,
            FirstPollAt = now + settings.NextPoll,
        });
        if (moved == 0)
        {
            // Another instance dispatched it first (with the same waybill, thanks to the idempotency key).
            return;
        }

        await TrackingLog.AddAsync(session, shipment.Id, TrackingLog.LocalSequence, ShipmentStatus.Dispatched, now,
            $"许可证已交寄{CourierCompany.Name}，运单号 {waybill}", now);
        await session.PublishAsync(
            new ShipmentDispatched(shipment.Id, shipment.ApplicationId, CourierCompany.Name, waybill, now),
            DeterministicGuid.Create(shipment.Id, ShipmentStatus.Dispatched));
        await session.DiscloseAsync(ShipmentRecords.For(DisclosureKinds.ShipmentDispatched, shipment, county, now, "许可证已交寄",
            ShipmentRecords.Fields(shipment.ApplicationNumber, ShipmentRecords.ByCourier).WithCourier()));
        await session.CommitAsync(cancellationToken);
        LogDispatched(logger, shipment.ApplicationNumber, waybill, shipment.Attempts + 1);
    }

    private async Task RecordFailureAsync(PendingRow shipment, Exception exception, CancellationToken cancellationToken)
    {
        var attempts = shipment.Attempts + 1;
        var retryIn = settings.Backoff(attempts);
        LogBookingFailed(logger, exception, shipment.ApplicationNumber, attempts, retryIn.TotalMilliseconds);

        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(FailedSql, new
        {
            shipment.Id,
            PendingBooking = ShipmentStatus.PendingBooking,
            Error = TrackingLog.Clip($"{exception.GetType().Name}: {exception.Message}", 1000),
            NextAttemptAt = time.GetUtcNow() + retryIn,
        });
    }

    private static string DueSql(SqlDialect dialect) => dialect switch
    {
        SqlDialect.SqlServer => DueSqlSqlServer,
        SqlDialect.PostgreSql => DueSqlPostgres,
        _ => DueSqlSqlite,
    };

    /// <summary>Every licence's: Debug. The shipment, its tracking and ShipmentDispatched record it; operators watch failures.</summary>
    [LoggerMessage(LogLevel.Debug, "Licence of application {ApplicationNumber} handed to the courier: waybill {WaybillNumber} (attempt {Attempt})")]
    private static partial void LogDispatched(ILogger logger, string applicationNumber, string waybillNumber, int attempt);

    [LoggerMessage(LogLevel.Warning, "Courier booking for application {ApplicationNumber} failed (attempt {Attempt}); next attempt in {RetryInMs} ms")]
    private static partial void LogBookingFailed(ILogger logger, Exception exception, string applicationNumber, int attempt, double retryInMs);

    private sealed class PendingRow : ShipmentKey
    {
        public string RecipientName { get; init; } = "";
        public string RecipientPhone { get; init; } = "";
        public string? Address { get; init; }
        public int Attempts { get; init; }
        public string? TraceParent { get; init; }
    }
}
