using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Permits.Disclosure.Platforms;

/// <summary>
/// Per client: a token bucket (sustained rate + burst) and a quota per window. A refused call says which and when to
/// retry. In-process: with several replicas each enforces its share (set limits per replica accordingly).
/// </summary>
public sealed class PlatformLimiter(IOptionsMonitor<PlatformOptions> options) : IDisposable
{
    private readonly ConcurrentDictionary<string, (RateLimiter Rate, RateLimiter Quota)> _limiters = new(StringComparer.Ordinal);

    /// <summary>Null when allowed; otherwise what was exceeded and how long to wait.</summary>
    public (string Reason, TimeSpan RetryAfter)? TryAcquire(string clientId)
    {
        var (rate, quota) = _limiters.GetOrAdd(clientId, Create);
        using var quotaLease = quota.AttemptAcquire();
        if (!quotaLease.IsAcquired)
        {
            return ("已超出配额（quota）", RetryAfter(quotaLease, TimeSpan.FromHours(1)));
        }

        using var rateLease = rate.AttemptAcquire();
        return rateLease.IsAcquired ? null : ("请求过于频繁（rate limit）", RetryAfter(rateLease, TimeSpan.FromSeconds(1)));
    }

    private (RateLimiter, RateLimiter) Create(string clientId)
    {
        var current = options.CurrentValue;
        var limits = current.Clients.TryGetValue(clientId, out var client) && client.Limits is { } own ? own : current.Defaults;
        var perSecond = Math.Max(1, limits.RequestsPerSecond);
        return (
            new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = Math.Max(1, limits.Burst),
                TokensPerPeriod = perSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            }),
            new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions
            {
                PermitLimit = Math.Max(1, limits.Quota),
                Window = TimeSpan.FromHours(Math.Max(1, limits.QuotaWindowHours)),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
    }

    private static TimeSpan RetryAfter(RateLimitLease lease, TimeSpan fallback) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var after) && after > TimeSpan.Zero ? after : fallback;

    public void Dispose()
    {
        foreach (var (rate, quota) in _limiters.Values)
        {
            rate.Dispose();
            quota.Dispose();
        }
    }
}
