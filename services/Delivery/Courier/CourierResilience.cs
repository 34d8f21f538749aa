using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.CircuitBreaker;

namespace Permits.Delivery.Courier;

/// <summary>
/// The courier client's own resilience pipeline, replacing the shared standard one (outermost first): a total
/// timeout; retries with exponential backoff and jitter on 5xx, 408, 429, network errors and attempt timeouts
/// (safe for bookings: every attempt carries the same idempotency key); a circuit breaker that stops calling a
/// failing courier for a while, so the workers pause instead of hammering it; and a timeout per attempt.
/// Configuration <c>Courier:Resilience</c>: <c>AttemptTimeoutMs</c> (5000), <c>TotalTimeoutMs</c> (20000),
/// <c>Retries</c> (2), <c>RetryDelayMs</c> (200), <c>BreakerFailureRatio</c> (0.5), <c>BreakerMinimumThroughput</c>
/// (6), <c>BreakerSamplingMs</c> (30000), <c>BreakDurationMs</c> (15000).
/// </summary>
public sealed record CourierResilience
{
    public const string PipelineName = "courier";

    public int AttemptTimeoutMs { get; init; } = 5000;
    public int TotalTimeoutMs { get; init; } = 20_000;
    public int Retries { get; init; } = 2;
    public int RetryDelayMs { get; init; } = 200;
    public double BreakerFailureRatio { get; init; } = 0.5;
    public int BreakerMinimumThroughput { get; init; } = 6;
    public int BreakerSamplingMs { get; init; } = 30_000;
    public int BreakDurationMs { get; init; } = 15_000;

    public static CourierResilience From(IConfiguration configuration) =>
        configuration.GetSection("Courier:Resilience").Get<CourierResilience>() ?? new CourierResilience();

    public void Build(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, CourierCircuit circuit)
    {
        pipeline
            .AddTimeout(TimeSpan.FromMilliseconds(TotalTimeoutMs))
            .AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(0, Retries) is 0 ? 1 : Retries,
                ShouldHandle = Retries <= 0
                    ? _ => ValueTask.FromResult(false)
                    : args => ValueTask.FromResult(IsTransient(args.Outcome)),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(RetryDelayMs),
            })
            .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
            {
                FailureRatio = BreakerFailureRatio,
                MinimumThroughput = Math.Max(2, BreakerMinimumThroughput),
                SamplingDuration = TimeSpan.FromMilliseconds(Math.Max(500, BreakerSamplingMs)),
                BreakDuration = TimeSpan.FromMilliseconds(Math.Max(500, BreakDurationMs)),
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
                OnOpened = args =>
                {
                    circuit.Opened(args.BreakDuration);
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    circuit.Closed();
                    return ValueTask.CompletedTask;
                },
                OnHalfOpened = _ =>
                {
                    circuit.HalfOpened();
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(TimeSpan.FromMilliseconds(AttemptTimeoutMs));
    }

    /// <summary>Worth another try, and counting against the courier: it failed as a whole, not on this request.</summary>
    private static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or Polly.Timeout.TimeoutRejectedException } => true,
        { Exception: not null } => false,
        { Result: { } response } => (int)response.StatusCode >= 500
            || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests,
        _ => false,
    };
}

/// <summary>What the courier client's circuit breaker did; for logs, tests and (later) a dashboard.</summary>
public sealed partial class CourierCircuit(ILogger<CourierCircuit> logger)
{
    private int _opened;
    private int _closed;
    private volatile string _state = nameof(CircuitState.Closed);

    public int TimesOpened => Volatile.Read(ref _opened);

    public int TimesClosed => Volatile.Read(ref _closed);

    public string State => _state;

    internal void Opened(TimeSpan breakDuration)
    {
        Interlocked.Increment(ref _opened);
        _state = nameof(CircuitState.Open);
        LogOpened(logger, breakDuration.TotalMilliseconds);
    }

    internal void HalfOpened() => _state = nameof(CircuitState.HalfOpen);

    internal void Closed()
    {
        Interlocked.Increment(ref _closed);
        _state = nameof(CircuitState.Closed);
        LogClosed(logger);
    }

    [LoggerMessage(LogLevel.Warning, "Courier circuit opened: no calls to the courier for {BreakMs} ms")]
    private static partial void LogOpened(ILogger logger, double breakMs);

    [LoggerMessage(LogLevel.Information, "Courier circuit closed: the courier answers again")]
    private static partial void LogClosed(ILogger logger);
}
