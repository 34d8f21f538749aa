using Microsoft.Extensions.Logging;
using Permits.Contracts.Calendar;
using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Shared.Messaging;

/// <summary>
/// The one way a service takes a published holiday arrangement: the year is stored in the service's table of
/// published years, the service recounts its own open deadlines that depend on it (<see cref="RecomputeAsync"/>, in
/// the same transaction, with the inbox row: a redelivery changes nothing), and the process's shared
/// <see cref="WorkingDayCalendar"/> takes it. A revision older than the one stored (a late message) changes nothing.
/// Other replicas of the service take the year from the table (<see cref="Hosting.PublishedCalendarLoader{TService}"/>).
/// Each service declares its own subclass, named <c>HolidayCalendarPublishedConsumer</c>, so its queue is its own.
/// </summary>
public abstract partial class HolidayCalendarConsumer<TService> : InboxConsumer<TService, HolidayCalendarPublished>
    where TService : IServiceModule
{
    private readonly WorkingDayCalendar calendar;
    private readonly ILogger logger;

    protected HolidayCalendarConsumer(ServiceDatabase<TService> database, WorkingDayCalendar calendar, TimeProvider time, ILogger logger)
        : base(database, logger)
    {
        this.calendar = calendar;
        Time = time;
        this.logger = logger;
    }

    /// <summary>The service's clock: what a recount calls today, and when a recorded move happened.</summary>
    protected TimeProvider Time { get; }

    protected sealed override async Task HandleAsync(HolidayCalendarPublished message, DbSession session, CancellationToken cancellationToken)
    {
        var year = new HolidayYear(message.Year, message.Holidays, message.Workdays, message.Notice);
        var stored = await PublishedCalendars.ReadAsync(session.Connection, session.Transaction);
        if (stored.Any(e => e.Year.Year == message.Year && e.Revision >= message.Revision))
        {
            LogOlder(logger, TService.Name, message.Year, message.Revision);
            return;
        }

        var before = PublishedCalendars.Calendar(stored);
        var change = new CalendarChange(year, message.Revision, before, before.With(year, message.Revision), Time.Today());
        await PublishedCalendars.SaveAsync(session, message);

        // First, so what the recount derives from a deadline (Review's warning day) is counted on the new year too.
        calendar.Publish(year, message.Revision);
        var moved = await RecomputeAsync(change, session, cancellationToken);
        LogTaken(logger, TService.Name, message.Year, message.Revision, message.Notice, moved);
    }

    /// <summary>Recounts the service's open deadlines that depend on the year and records each move; returns how many moved.</summary>
    protected virtual Task<int> RecomputeAsync(CalendarChange change, DbSession session, CancellationToken cancellationToken) =>
        Task.FromResult(0);

    [LoggerMessage(LogLevel.Information, "{Service} took the {Year} holiday arrangement, revision {Revision} ({Notice}); {Moved} open deadlines moved")]
    private static partial void LogTaken(ILogger logger, string service, int year, int revision, string notice, int moved);

    [LoggerMessage(LogLevel.Information, "{Service} already holds the {Year} holiday arrangement at revision {Revision} or later; skipped")]
    private static partial void LogOlder(ILogger logger, string service, int year, int revision);
}
