using System.Collections.Concurrent;
using Grpc.Core;
using Permits.Contracts.Delivery.V1;
using Permits.Contracts.Review.V1;
using Permits.Shared.Domain;

namespace Permits.Portal.Pages.Guide;

/// <summary>A county's service hall as in force: where it is, when it is open and its phone (empty when unknown).</summary>
public sealed record HallInForce(County County, string Address, string Hours, string Phone);

/// <summary>A request type's decision limits in a county as in force, in working days; no promise shorter than the law: 0.</summary>
public sealed record LimitsInForce(int LegalDays, int PromisedDays);

/// <summary>
/// What the guide and progress pages say of a county's service hall and 承诺时限: what Delivery (GetHall) and Review
/// (GetPromisedLimits) hold now, so a 系统管理员's change shows without a restart. Each answer is kept at most
/// <see cref="Fresh"/> per county: a change shows within seconds, and a page listing every hall is not a burst of calls
/// on every view. When a service cannot answer, the county directory's values stand in (what both services start
/// from) and the page says nothing of it; that stand-in is kept as briefly, so the page does not wait on every view.
/// </summary>
public sealed partial class CountyInForce(TimeProvider time, ILogger<CountyInForce> logger)
{
    /// <summary>How long an answer is kept per county.</summary>
    public static readonly TimeSpan Fresh = TimeSpan.FromSeconds(5);

    /// <summary>Short: the page renders with the stand-in rather than wait for a service that hangs.</summary>
    private static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(3);

    private readonly ConcurrentDictionary<string, (HallInForce Value, DateTimeOffset At)> _halls = new();

    private readonly ConcurrentDictionary<string, (PromisedLimits Value, DateTimeOffset At)> _limits = new();

    /// <summary>The county's hall in force.</summary>
    public Task<HallInForce> HallAsync(Shipments.ShipmentsClient shipments, County county, CancellationToken cancellationToken) =>
        KeptAsync(_halls, county.Code, "Delivery",
            async () =>
            {
                var hall = await shipments.GetHallAsync(
                    new GetHallRequest { CountyCode = county.Code }, deadline: DateTime.UtcNow + CallDeadline, cancellationToken: cancellationToken);
                return new HallInForce(county, hall.Address, hall.OpeningHours, hall.Phone);
            },
            () => new HallInForce(county, county.ServiceHallAddress, county.ServiceHallHours, county.ServiceHallPhone));

    /// <summary>The halls of several counties, in their order.</summary>
    public async Task<IReadOnlyList<HallInForce>> HallsAsync(
        Shipments.ShipmentsClient shipments, IEnumerable<County> counties, CancellationToken cancellationToken) =>
        await Task.WhenAll(counties.Select(c => HallAsync(shipments, c, cancellationToken)));

    /// <summary>
    /// The limits of <paramref name="requestType"/> in the county; when Review cannot answer, the guide's legal limit
    /// (<paramref name="legalDays"/>) and the county directory's promise.
    /// </summary>
    public async Task<LimitsInForce> LimitsAsync(
        Cases.CasesClient cases, County county, string requestType, int legalDays, CancellationToken cancellationToken)
    {
        var limits = await KeptAsync(_limits, county.Code, "Review",
            () => cases.GetPromisedLimitsAsync(
                new GetPromisedLimitsRequest { CountyCode = county.Code }, deadline: DateTime.UtcNow + CallDeadline,
                cancellationToken: cancellationToken).ResponseAsync,
            () => new PromisedLimits { CountyCode = county.Code });
        return limits.Limits.FirstOrDefault(l => l.RequestType == requestType) is { } limit
            ? new LimitsInForce(limit.LegalDecisionDays, limit.PromisedDecisionDays)
            : new LimitsInForce(legalDays, county.PromisedDecisionDays ?? 0);
    }

    private async Task<T> KeptAsync<T>(
        ConcurrentDictionary<string, (T Value, DateTimeOffset At)> kept, string county, string service, Func<Task<T>> ask, Func<T> standIn)
    {
        var now = time.GetUtcNow();
        if (kept.TryGetValue(county, out var entry) && now - entry.At < Fresh)
        {
            return entry.Value;
        }

        T value;
        try
        {
            value = await ask();
        }
        catch (RpcException error) when (error.StatusCode != StatusCode.Cancelled)
        {
            LogStandIn(logger, error, service, county, error.StatusCode);
            value = standIn();
        }

        kept[county] = (value, now);
        return value;
    }

    [LoggerMessage(LogLevel.Warning, "{Service} did not answer for county {County} ({StatusCode}): the page shows the county directory's values")]
    private static partial void LogStandIn(ILogger logger, Exception exception, string service, string county, StatusCode statusCode);
}
