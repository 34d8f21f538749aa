using Permits.Delivery.Courier;
using Permits.Delivery.Features;

namespace Permits.Delivery.Workers;

/// <summary>Follows dispatched shipments at the courier (<c>Delivery:TrackingPollMs</c>, default 1000).</summary>
public sealed class CourierTrackingWorker(
    TrackDispatchedShipments track,
    IServiceScopeFactory scopes,
    DeliverySettings settings,
    TimeProvider time,
    ILogger<CourierTrackingWorker> logger)
    : CourierPollingWorker(settings.TrackingPoll, scopes, settings, time, logger)
{
    protected override Task<CourierPass> RunOnceAsync(ICourierClient courier, CancellationToken cancellationToken) =>
        track.RunOnceAsync(courier, cancellationToken);
}
