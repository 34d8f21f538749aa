using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Options;
using Permits.Disclosure.Domain;
using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Disclosure.Platforms;

/// <summary>
/// Per client: a sustained rate with a burst, and a quota per calendar window, both counted in the service's database
/// so that every replica of Disclosure shares them (a client cannot multiply its limits by the number of replicas).
/// Each limit is one conditional UPDATE of the client's row: it succeeds only while the client is within the limit, so
/// concurrent calls on several replicas can never together exceed it. A refused call says which limit and when to retry.
/// <para>
/// The rate is a token bucket kept as one number (GCRA, the generic cell rate algorithm): the time at which the bucket
/// would be full again. A call is allowed while that time is no more than (burst − 1) intervals ahead of now, and moves
/// it one interval further. The quota is a row per client per window (24 h windows are China calendar days), whose count
/// only grows while below the quota; old windows' rows are deleted when a new one starts.
/// </para>
/// <para>
/// The usual call costs one round trip: both updates travel in one command, and the quota's counts only if the rate's
/// just did (it marks the rate row with the call's id), so a call refused for its rate never uses up quota. Anything
/// else (a first call, a refusal, a race with another replica) takes the step-by-step path.
/// </para>
/// </summary>
public sealed class PlatformLimiter(
    ServiceDatabase<DisclosureModule> database, IOptionsMonitor<PlatformOptions> options, TimeProvider time)
{
    private const long MicrosPerSecond = 1_000_000;

    private const string TakeRate = """
        UPDATE platform_rate
        SET theoretical_arrival = CASE WHEN theoretical_arrival > @Now THEN theoretical_arrival ELSE @Now END + @Interval,
            last_call = @CallId
        WHERE client_id = @ClientId AND theoretical_arrival <= @Now + @Tolerance
        """;

    private const string TakeQuota = """
        UPDATE platform_quota SET used = used + 1
        WHERE client_id = @ClientId AND window_start = @WindowStart AND used < @Quota
        """;

    private const string TakeRateSql = TakeRate;

    private const string TakeQuotaSql = TakeQuota;

    /// <summary>Rows changed: 2 when both limits allowed the call.</summary>
    private const string TakeBothSql = $"""
        {TakeRate};
        {TakeQuota}
          AND EXISTS (SELECT 1 FROM platform_rate WHERE client_id = @ClientId AND last_call = @CallId);
        """;

    private const string ReadRateSql = "SELECT theoretical_arrival FROM platform_rate WHERE client_id = @ClientId";

    private const string AddRateSql = """
        INSERT INTO platform_rate (client_id, theoretical_arrival, last_call)
        SELECT @ClientId, @Now + @Interval, @CallId
        WHERE NOT EXISTS (SELECT 1 FROM platform_rate WHERE client_id = @ClientId)
        """;

    private const string QuotaUsedSql = """
        SELECT used FROM platform_quota WHERE client_id = @ClientId AND window_start = @WindowStart
        """;

    private const string AddQuotaSql = """
        INSERT INTO platform_quota (client_id, window_start, used)
        SELECT @ClientId, @WindowStart, 1
        WHERE NOT EXISTS (SELECT 1 FROM platform_quota WHERE client_id = @ClientId AND window_start = @WindowStart)
        """;

    private const string ForgetOldWindowsSql = """
        DELETE FROM platform_quota WHERE client_id = @ClientId AND window_start < @WindowStart
        """;

    /// <summary>Null when allowed (and counted); otherwise what was exceeded and how long to wait.</summary>
    public async Task<(string Reason, TimeSpan RetryAfter)?> TryAcquireAsync(string clientId, CancellationToken cancellationToken)
    {
        var limits = LimitsOf(clientId);
        await using var connection = await database.OpenAsync(cancellationToken);
        // The clock is read once the connection is open: a call that waited for one is not judged by when it started.
        var now = time.GetUtcNow();
        var interval = Math.Max(1, MicrosPerSecond / Math.Max(1, limits.RequestsPerSecond));
        var (windowStart, windowEnd) = Window(now, limits.QuotaWindowHours);
        var call = new Call(
            clientId, Guid.NewGuid().ToString("N"), Micros(now), interval, interval * (Math.Max(1, limits.Burst) - 1),
            windowStart.ToUnixTimeMilliseconds(), Math.Max(1, limits.Quota));

        var changed = await ExecuteAsync(connection, TakeBothSql, call, cancellationToken);
        if (changed == 2)
        {
            return null;
        }

        // The rate first: a call refused for its rate does not use up quota.
        if (changed == 0 && await TakeRateAsync(connection, call, cancellationToken) is { } rateWait)
        {
            return ("请求过于频繁（rate limit）", rateWait);
        }

        if (await TakeQuotaAsync(connection, call, cancellationToken) is not null)
        {
            return ("已超出配额（quota）", Ceiling(windowEnd - now));
        }

        return null;
    }

    private PlatformLimits LimitsOf(string clientId)
    {
        var current = options.CurrentValue;
        return current.Clients.TryGetValue(clientId, out var client) && client.Limits is { } own ? own : current.Defaults;
    }

    private static async Task<TimeSpan?> TakeRateAsync(DbConnection connection, Call call, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            if (await ExecuteAsync(connection, TakeRateSql, call, cancellationToken) == 1)
            {
                return null;
            }

            var arrival = await connection.ExecuteScalarAsync<long?>(
                new CommandDefinition(ReadRateSql, call, cancellationToken: cancellationToken));
            if (arrival is { } full)
            {
                if (full > call.Now + call.Tolerance)
                {
                    // Allowed again once the full time is within the tolerance of the clock.
                    return Ceiling(TimeSpan.FromMicroseconds(full - call.Tolerance - call.Now));
                }

                continue; // the row appeared (another replica's first call) after the update looked: try again
            }

            // The client's first call: its row is made with this call already counted. Another replica may make it at
            // the same moment; then the update is tried again.
            if (await TryInsertAsync(connection, AddRateSql, call, cancellationToken))
            {
                return null;
            }
        }

        throw new InvalidOperationException($"The rate row of platform client {call.ClientId} could not be read or created.");
    }

    /// <summary>Null when counted; otherwise the call is over quota.</summary>
    private static async Task<bool?> TakeQuotaAsync(DbConnection connection, Call call, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            if (await ExecuteAsync(connection, TakeQuotaSql, call, cancellationToken) == 1)
            {
                return null;
            }

            var used = await connection.ExecuteScalarAsync<int?>(
                new CommandDefinition(QuotaUsedSql, call, cancellationToken: cancellationToken));
            if (used is { } count)
            {
                if (count >= call.Quota)
                {
                    return true;
                }

                continue; // the row appeared (another call made it) after the update looked: try again
            }

            if (await TryInsertAsync(connection, AddQuotaSql, call, cancellationToken))
            {
                await ExecuteAsync(connection, ForgetOldWindowsSql, call, cancellationToken);
                return null;
            }
        }

        throw new InvalidOperationException($"The quota row of platform client {call.ClientId} could not be read or created.");
    }

    /// <summary>
    /// The quota window holding <paramref name="now"/>: windows of whole hours counted from midnight China time, so a
    /// 24-hour quota renews at 00:00 Beijing time.
    /// </summary>
    public static (DateTimeOffset Start, DateTimeOffset End) Window(DateTimeOffset now, int windowHours)
    {
        var length = TimeSpan.FromHours(Math.Max(1, windowHours));
        var midnight = ChinaTime.StartOf(ChinaTime.DateOf(now));
        var start = midnight + length * Math.Floor((now - midnight) / length);
        var nextMidnight = midnight.AddDays(1);
        return (start, start + length < nextMidnight ? start + length : nextMidnight);
    }

    private static async Task<bool> TryInsertAsync(
        DbConnection connection, string sql, object parameters, CancellationToken cancellationToken)
    {
        try
        {
            return await ExecuteAsync(connection, sql, parameters, cancellationToken) == 1;
        }
        catch (DbException)
        {
            return false; // a replica inserted the same key first: its row is there now
        }
    }

    private static Task<int> ExecuteAsync(DbConnection connection, string sql, object parameters, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));

    /// <summary>One call's parameters: times in Unix microseconds (rate) and milliseconds (quota window).</summary>
    private sealed record Call(
        string ClientId, string CallId, long Now, long Interval, long Tolerance, long WindowStart, int Quota);

    private static long Micros(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    /// <summary>Whole seconds, at least one: what a Retry-After header can say.</summary>
    private static TimeSpan Ceiling(TimeSpan wait) => TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(wait.TotalSeconds)));
}
