using Permits.Delivery.Courier;
using Permits.Delivery.Features;
using Permits.Shared.Hosting;

namespace Permits.Delivery.Workers;

/// <summary>
/// Runs a courier pass again and again on the shared polling loop (<see cref="PollingWorker"/>), pausing as
/// <see cref="CourierPauses"/> decides, and less often while passes find nothing (<see cref="PollingWorker.Idle"/>). Each pass gets its own scope, so the typed courier client follows
/// HttpClientFactory's handler rotation.
/// </summary>
public abstract class CourierPollingWorker(
    TimeSpan pollInterval,
    IServiceScopeFactory scopes,
    DeliverySettings settings,
    TimeProvider time,
    ILogger logger) : PollingWorker(time, logger)
{
    private readonly CourierPauses pauses = new(pollInterval, settings);

    protected abstract Task<CourierPass> RunOnceAsync(ICourierClient courier, CancellationToken cancellationToken);

    protected sealed override async Task<TimeSpan> PassAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var pass = await RunOnceAsync(scope.ServiceProvider.GetRequiredService<ICourierClient>(), cancellationToken);
        var pause = pauses.After(pass);
        return pass.Taken == 0 && !pass.CourierUnavailable ? Idle(pause) : pause;
    }
}

/// <summary>
/// The pause a courier worker takes after each pass: none after a full batch (more is waiting), the poll interval
/// otherwise, and a growing (capped) pause for as long as the courier is unavailable, so a courier that is down is
/// not hammered. A pass that fails outright (the database away) gets the polling loop's own failure pause.
/// </summary>
public sealed class CourierPauses(TimeSpan pollInterval, DeliverySettings settings)
{
    private int outages;

    public TimeSpan After(CourierPass pass)
    {
        outages = pass.CourierUnavailable ? outages + 1 : 0;
        return outages > 0 ? settings.Backoff(outages) : pass.Full ? TimeSpan.Zero : pollInterval;
    }
}
