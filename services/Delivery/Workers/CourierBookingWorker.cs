using Permits.Delivery.Courier;
using Permits.Delivery.Features;

namespace Permits.Delivery.Workers;

/// <summary>Books the courier for shipments waiting for one (<c>Delivery:BookingPollMs</c>, default 500).</summary>
public sealed class CourierBookingWorker(
    BookPendingShipments book,
    IServiceScopeFactory scopes,
    DeliverySettings settings,
    TimeProvider time,
    ILogger<CourierBookingWorker> logger)
    : CourierPollingWorker(settings.BookingPoll, scopes, settings, time, logger)
{
    protected override Task<CourierPass> RunOnceAsync(ICourierClient courier, CancellationToken cancellationToken) =>
        book.RunOnceAsync(courier, cancellationToken);
}
