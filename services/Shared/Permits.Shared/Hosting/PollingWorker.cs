using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Permits.Shared.Hosting;

/// <summary>
/// The one polling loop of every background worker (deadlines, scheduled suspensions, courier passes, the outbox
/// relay): a pass, then the pause the pass asks for; after a failed pass (the database or a third party away) a pause
/// growing from 200 ms to 30 s with jitter, and the same work again. All state is in the database, so stopping at any
/// point loses nothing. A pass is public through <c>RunOnceAsync</c> in each worker, so tests drive it without the loop.
/// </summary>
public abstract partial class PollingWorker : BackgroundService
{
    private readonly ILogger logger;
    private long _passes;

    protected PollingWorker(TimeProvider time, ILogger logger)
    {
        Time = time;
        this.logger = logger;
    }

    /// <summary>The clock the worker waits on and its passes read.</summary>
    protected TimeProvider Time { get; }

    private static readonly TimeSpan FirstFailurePause = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxFailurePause = TimeSpan.FromSeconds(30);

    /// <summary>Whether the worker runs at all (configuration); a disabled worker logs so once.</summary>
    protected virtual bool Enabled => true;

    /// <summary>Whether this worker polls (a disabled one never passes).</summary>
    public bool IsEnabled => Enabled;

    /// <summary>Passes finished since start, failed or not: what a health view or a test waits on instead of a sleep.</summary>
    public long CompletedPasses => Interlocked.Read(ref _passes);

    /// <summary>One pass; returns the pause before the next (<see cref="TimeSpan.Zero"/>: at once, there is more to do).</summary>
    protected abstract Task<TimeSpan> PassAsync(CancellationToken cancellationToken);

    private int _idlePasses;
    private bool _idle;

    /// <summary>
    /// The pause after a pass that found nothing to do: <paramref name="poll"/> doubled for each such pass in a row, up
    /// to eight times it, so an idle service stops querying its database every poll interval; the first pass that finds
    /// work (returns without calling this) brings the pause back to <paramref name="poll"/>.
    /// </summary>
    protected TimeSpan Idle(TimeSpan poll)
    {
        _idle = true;
        _idlePasses = Math.Min(_idlePasses + 1, 4);
        return poll * (1 << (_idlePasses - 1));
    }

    /// <summary>Waits <paramref name="pause"/>; a worker that can be woken (the outbox relay, on commit) overrides this.</summary>
    protected virtual Task WaitAsync(TimeSpan pause, CancellationToken cancellationToken) =>
        pause <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(pause, Time, cancellationToken);

    /// <summary>The pause after <paramref name="failures"/> failed passes in a row: exponential, capped, with jitter.</summary>
    public static TimeSpan PauseAfterFailure(int failures)
    {
        var exponential = FirstFailurePause.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 16));
        var capped = Math.Min(exponential, MaxFailurePause.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.75 + Random.Shared.NextDouble() * 0.5));
    }

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            LogDisabled(logger, GetType().Name);
            return;
        }

        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan pause;
            try
            {
                _idle = false;
                pause = await PassAsync(stoppingToken);
                failures = 0;
                if (!_idle)
                {
                    _idlePasses = 0;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                pause = PauseAfterFailure(failures);
                LogPassFailed(logger, ex, GetType().Name, pause.TotalMilliseconds);
            }

            Interlocked.Increment(ref _passes);

            try
            {
                await WaitAsync(pause, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "{Worker} is disabled by configuration")]
    private static partial void LogDisabled(ILogger logger, string worker);

    [LoggerMessage(LogLevel.Error, "{Worker} pass failed; trying again in {PauseMs:0} ms")]
    private static partial void LogPassFailed(ILogger logger, Exception exception, string worker, double pauseMs);
}
