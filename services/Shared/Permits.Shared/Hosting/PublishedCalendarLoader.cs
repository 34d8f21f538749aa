using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Messaging;

namespace Permits.Shared.Hosting;

/// <summary>
/// Puts the service's published years (<see cref="PublishedCalendars"/>) into the process's calendar: once at start,
/// before the bus and the gRPC endpoints serve (a restarted process counts on what was published), then every
/// <c>Calendar:RefreshSeconds</c> (60), because only one replica of a service consumes each publication and the
/// others learn of it from the table. Registered right after the schema migrator.
/// </summary>
public sealed class PublishedCalendarLoader<TService>(
    ServiceDatabase<TService> database, WorkingDayCalendar calendar, IConfiguration configuration, TimeProvider time,
    ILogger<PublishedCalendarLoader<TService>> logger) : PollingWorker(time, logger)
    where TService : IServiceModule
{
    private TimeSpan Refresh => TimeSpan.FromSeconds(configuration.GetValue("Calendar:RefreshSeconds", 60.0));

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await RunOnceAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    /// <summary>One load: every stored year the calendar does not hold at that revision yet.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var taken = 0;
        foreach (var entry in await PublishedCalendars.ReadAsync(connection))
        {
            taken += calendar.Publish(entry.Year, entry.Revision) ? 1 : 0;
        }

        return taken;
    }

    protected override async Task<TimeSpan> PassAsync(CancellationToken cancellationToken)
    {
        await RunOnceAsync(cancellationToken);
        return Refresh;
    }
}
