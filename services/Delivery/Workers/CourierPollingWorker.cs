using Permits.Delivery.Courier;
using Permits.Delivery.Features;

namespace Permits.Delivery.Workers;

/// <summary>
/// Runs a courier pass again and again: at once after a full batch, after the poll interval otherwise, and with a
/// growing (capped) pause while the courier is unavailable. All state is in the database, so stopping at any point
/// loses nothing. Each pass gets its own scope, so the typed courier client follows HttpClientFactory's handler rotation.
/// </summary>
public abstract partial class CourierPollingWorker(
    TimeSpan pollInterval,
    IServiceScopeFactory scopes,
    DeliverySettings settings,
    TimeProvider time,
    ILogger logger) : BackgroundService
{
    protected abstract Task<CourierPass> RunOnceAsync(ICourierClient courier, CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var outages = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan pause;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var pass = await RunOnceAsync(scope.ServiceProvider.GetRequiredService<ICourierClient>(), stoppingToken);
                outages = pass.CourierUnavailable ? outages + 1 : 0;
                pause = outages > 0 ? settings.Backoff(outages) : pass.Full ? TimeSpan.Zero : pollInterval;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database (or the configuration) is at fault, not one shipment: pause and try the same work again.
                outages++;
                pause = settings.Backoff(outages);
                LogPassFailed(logger, ex, GetType().Name, pause.TotalMilliseconds);
            }

            try
            {
                await Task.Delay(pause, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(LogLevel.Error, "{Worker} pass failed; trying again in {PauseMs} ms")]
    private static partial void LogPassFailed(ILogger logger, Exception exception, string worker, double pauseMs);
}
