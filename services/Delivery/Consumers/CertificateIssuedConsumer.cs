using System.Diagnostics;
using Permits.Contracts;
using Permits.Contracts.Certificate;
using Permits.Delivery.Domain;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Messaging;

namespace Permits.Delivery.Consumers;

/// <summary>
/// The licence exists: open its shipment the way the shopkeeper chose. By courier it waits for the booking worker;
/// for pickup it gets a 6-digit pickup code at once. Either way the service limit (送达期限) counts from the 准予
/// decision (<see cref="ServiceClock"/>, Review's rule), kept from LicenceApproved; should the licence come first, from
/// its issue until the decision arrives and sets it right. One shipment per application, however often the event arrives.
/// </summary>
public sealed class CertificateIssuedConsumer(
    ServiceDatabase<DeliveryModule> database,
    CountyDirectory counties,
    WorkingDayCalendar calendar,
    TimeProvider time,
    ILogger<CertificateIssuedConsumer> logger)
    : InboxConsumer<DeliveryModule, CertificateIssued>(database, logger)
{
    private const string RequestSql = """
        SELECT method AS Method, recipient_name AS RecipientName, recipient_phone AS RecipientPhone, address AS Address
        FROM delivery_requests WHERE application_id = @ApplicationId
        """;

    private const string DecidedSql = "SELECT decided_at FROM delivery_decisions WHERE application_id = @ApplicationId";

    private const string ExistsSql = "SELECT COUNT(*) FROM shipments WHERE application_id = @ApplicationId";

    // VALUES, not INSERT … SELECT: PostgreSQL types a NULL parameter from its target column only in VALUES. A
    // concurrent duplicate that slips past the check fails on the unique application_id and is retried as a no-op.
    private const string InsertSql = """
        INSERT INTO shipments (
            id, application_id, application_number, county_code, certificate_id, licence_number, method, status,
            recipient_name, recipient_phone, address, pickup_code, service_due_by, created_at, trace_parent,
            attempts, next_attempt_at, last_event_sequence, tracking_errors, service_due_provisional, delivery_attempts)
        VALUES (
            @Id, @ApplicationId, @ApplicationNumber, @CountyCode, @CertificateId, @LicenceNumber, @Method, @Status,
            @RecipientName, @RecipientPhone, @Address, @PickupCode, @ServiceDueBy, @CreatedAt, @TraceParent,
            0, @NextAttemptAt, 0, 0, @ServiceDueProvisional, @DeliveryAttempts)
        """;

    protected override async Task HandleAsync(CertificateIssued message, DbSession session, CancellationToken cancellationToken)
    {
        // Throwing rolls back and lets the bus retry: ApplicationSubmitted may simply not have arrived yet.
        var request = await session.QuerySingleOrDefaultAsync<RequestRow>(RequestSql, new { message.ApplicationId })
            ?? throw new InvalidOperationException(
                $"No delivery choice is known for application {message.ApplicationId} ({message.ApplicationNumber}) yet.");

        if (await session.ExecuteScalarAsync<long>(ExistsSql, new { message.ApplicationId }) > 0)
        {
            return;
        }

        var county = await Features.CountyHalls.CountyAsync(session.Connection, session.Transaction, counties.Get(message.CountyCode));
        var now = time.GetUtcNow();
        var pickup = request.Method == nameof(DeliveryMethod.Pickup);
        var shipmentId = ShipmentIdOf(message.ApplicationId);
        var decidedAt = await session.QuerySingleOrDefaultAsync<DateTimeOffset?>(DecidedSql, new { message.ApplicationId });
        var due = ServiceClock.DueBy(calendar, decidedAt ?? message.IssuedAt);

        await session.ExecuteAsync(InsertSql, new
        {
            Id = shipmentId,
            message.ApplicationId,
            message.ApplicationNumber,
            CountyCode = county.Code,
            message.CertificateId,
            message.LicenceNumber,
            request.Method,
            Status = pickup ? ShipmentStatus.AwaitingPickup : ShipmentStatus.PendingBooking,
            request.RecipientName,
            request.RecipientPhone,
            request.Address,
            PickupCode = pickup ? PickupCodes.New() : null,
            ServiceDueBy = due.Date,
            ServiceDueProvisional = due.Provisional ? 1 : 0,
            DeliveryAttempts = pickup ? 0 : 1,
            CreatedAt = now,
            // The booking and tracking happen later, on a worker: they continue this trace.
            TraceParent = Activity.Current?.Id,
            NextAttemptAt = pickup ? (DateTimeOffset?)null : now,
        });

        if (pickup)
        {
            await TrackingLog.AddAsync(session, shipmentId, TrackingLog.LocalSequence, ShipmentStatus.AwaitingPickup, now,
                $"许可证已备妥，请凭取件码到{county.ServiceHallAddress}领取", now);
            var shipment = new ShipmentKey
            {
                Id = shipmentId,
                ApplicationId = message.ApplicationId,
                ApplicationNumber = message.ApplicationNumber,
                CountyCode = county.Code,
            };
            await Features.AwaitingPickup.PublishAsync(session, shipment, county, switchedFromCourier: false, now);
        }
    }

    /// <summary>The one shipment of an application.</summary>
    public static Guid ShipmentIdOf(Guid applicationId) => DeterministicGuid.Create(applicationId, "shipment");

    private sealed class RequestRow
    {
        public string Method { get; init; } = "";
        public string RecipientName { get; init; } = "";
        public string RecipientPhone { get; init; } = "";
        public string? Address { get; init; }
    }
}
