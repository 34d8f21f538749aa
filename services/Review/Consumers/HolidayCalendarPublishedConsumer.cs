using Permits.Contracts.Review;
using Permits.Review.Domain;
using Permits.Review.Features;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Messaging;
using Permits.Shared.Steps;

namespace Permits.Review.Consumers;

/// <summary>
/// A year's holiday arrangement published: every running legal clock whose last day falls on or after the year's
/// first day is recounted (<see cref="CalendarChange.Recount"/>) — the case's due date, the open deadline row the
/// watcher and the board read (with its warning day), and the county's promise (承诺时限) — and the move is recorded
/// on the case's history. A paused clock keeps its days left and counts them on the published year when it resumes.
/// </summary>
public sealed class HolidayCalendarPublishedConsumer(
    ServiceDatabase<ReviewModule> database, WorkingDayCalendar calendar, LegalClock clock, OfficerAudit<ReviewModule> audit,
    TimeProvider time, ILogger<HolidayCalendarPublishedConsumer> logger)
    : HolidayCalendarConsumer<ReviewModule>(database, calendar, time, logger)
{
    private const string RunningSql = """
        SELECT id AS Id, county_code AS CountyCode, clock_phase AS Phase, due_by AS DueBy, due_provisional AS Provisional,
               promised_due_by AS PromisedDueBy
        FROM review_cases
        WHERE clock_paused = 0 AND clock_phase IN (@Acceptance, @Decision, @Service) AND due_by >= @From
        """;

    private const string UpdateCaseSql = """
        UPDATE review_cases SET due_by = @DueBy, due_provisional = @Provisional, promised_due_by = @PromisedDueBy WHERE id = @Id
        """;

    private const string UpdateDeadlineSql = """
        UPDATE review_deadlines SET due_by = @DueBy, due_provisional = @Provisional, warn_on = @WarnOn
        WHERE case_id = @Id AND closed_at IS NULL AND kind <> @Promised
        """;

    private const string UpdatePromiseSql = """
        UPDATE review_deadlines SET due_by = @DueBy, warn_on = @DueBy WHERE case_id = @Id AND closed_at IS NULL AND kind = @Promised
        """;

    private const string OpenFollowUpsSql = """
        SELECT application_id AS Id, application_number AS ApplicationNumber, county_code AS CountyCode, level AS Level,
               rated_at AS RatedAt, due_by AS DueBy
        FROM review_poor_ratings
        WHERE due_by >= @From AND contacted_on IS NULL
        """;

    private const string UpdateFollowUpSql = "UPDATE review_poor_ratings SET due_by = @DueBy WHERE application_id = @Id";

    protected override async Task<int> RecomputeAsync(CalendarChange change, DbSession session, CancellationToken cancellationToken)
    {
        var from = new DateOnly(change.Year.Year, 1, 1);
        var moved = 0;
        var running = await session.QueryAsync<Running>(RunningSql, new
        {
            ClockPhase.Acceptance, ClockPhase.Decision, ClockPhase.Service, From = from,
        });
        foreach (var row in running.ToList())
        {
            if (change.Recount(row.DueBy, row.Provisional != 0) is not { } due)
            {
                continue;
            }

            var promised = row.PromisedDueBy is { } promise ? change.Recount(promise, false)?.Date ?? promise : (DateOnly?)null;
            await session.ExecuteAsync(UpdateCaseSql, new
            {
                row.Id, DueBy = due.Date, Provisional = due.Provisional ? 1 : 0, PromisedDueBy = promised,
            });
            await session.ExecuteAsync(UpdateDeadlineSql, new
            {
                row.Id, DueBy = due.Date, Provisional = due.Provisional ? 1 : 0, WarnOn = clock.WarnOn(due.Date), Promised = ClockPhase.PromisedDecision,
            });
            if (promised is { } promisedDue)
            {
                await session.ExecuteAsync(UpdatePromiseSql, new { row.Id, DueBy = promisedDue, Promised = ClockPhase.PromisedDecision });
            }

            await audit.DoneBySystemAsync(
                session, HolidayCalendars.RecountActor, HolidayCalendars.Recount, row.Id.ToString(), row.CountyCode,
                change.Describe(ClockPhase.Label(row.Phase), row.DueBy, due));
            moved++;
        }

        // A 差评's follow-up moves too, and is announced again with its new due day: the reports count on time or late
        // against the day in force.
        foreach (var followUp in (await session.QueryAsync<OpenFollowUp>(OpenFollowUpsSql, new { From = from })).ToList())
        {
            if (change.Recount(followUp.DueBy, false) is { } due && due.Date != followUp.DueBy)
            {
                await session.ExecuteAsync(UpdateFollowUpSql, new { followUp.Id, DueBy = due.Date });
                await session.PublishAsync(
                    new RatingFollowUpOpened(
                        followUp.Id, followUp.ApplicationNumber, followUp.CountyCode, (int)followUp.Level, followUp.RatedAt, due.Date, Time.GetUtcNow()),
                    DeterministicGuid.Create(followUp.Id, $"{nameof(RatingFollowUpOpened)}/{ChinaTime.Text(due.Date)}"));
                moved++;
            }
        }

        return moved;
    }

    private sealed class OpenFollowUp
    {
        public Guid Id { get; init; }
        public string ApplicationNumber { get; init; } = "";
        public string CountyCode { get; init; } = "";
        public long Level { get; init; }
        public DateTimeOffset RatedAt { get; init; }
        public DateOnly DueBy { get; init; }
    }

    private sealed class Running
    {
        public Guid Id { get; init; }
        public string CountyCode { get; init; } = "";
        public string Phase { get; init; } = "";
        public DateOnly DueBy { get; init; }
        public int Provisional { get; init; }
        public DateOnly? PromisedDueBy { get; init; }
    }
}
