using Permits.Intake.Domain;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Messaging;

namespace Permits.Intake.Consumers;

/// <summary>
/// A year's holiday arrangement published: the bureau's next deadline an applicant sees (受理, 审批 or 送达 期限),
/// the decision due date and the county's promised one, whenever they fall on or after the year's first day and the
/// deadline runs, are counted again by the one rule every service uses (<see cref="CalendarChange.Recount"/>), so they
/// agree with Review's. The applicant's history says what moved. A deadline standing still (补正 owed) keeps its days
/// left and counts them on the published year when it resumes.
/// </summary>
public sealed class HolidayCalendarPublishedConsumer(
    ServiceDatabase<IntakeModule> database, WorkingDayCalendar calendar, TimeProvider time, ILogger<HolidayCalendarPublishedConsumer> logger)
    : HolidayCalendarConsumer<IntakeModule>(database, calendar, time, logger)
{
    private const string RunningSql = """
        SELECT id AS Id, deadline_kind AS Kind, deadline_due_by AS DueBy, deadline_provisional AS Provisional,
               decision_due_by AS DecisionDueBy, promised_decision_due_by AS PromisedDueBy
        FROM applications
        WHERE deadline_due_by >= @From AND deadline_kind IS NOT NULL AND deadline_paused_days IS NULL
        """;

    private const string UpdateSql = """
        UPDATE applications SET deadline_due_by = @DueBy, deadline_provisional = @Provisional,
            decision_due_by = @DecisionDueBy, promised_decision_due_by = @PromisedDueBy
        WHERE id = @Id
        """;

    protected override async Task<int> RecomputeAsync(CalendarChange change, DbSession session, CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        var moved = 0;
        foreach (var row in (await session.QueryAsync<Running>(RunningSql, new { From = new DateOnly(change.Year.Year, 1, 1) })).ToList())
        {
            if (change.Recount(row.DueBy, row.Provisional == 1) is not { } due)
            {
                continue;
            }

            await session.ExecuteAsync(UpdateSql, new
            {
                row.Id,
                DueBy = due.Date,
                Provisional = due.Provisional ? 1 : 0,
                DecisionDueBy = row.Kind == ApplicantDeadlines.Decision ? due.Date : row.DecisionDueBy,
                PromisedDueBy = row.PromisedDueBy is { } promised ? change.Recount(promised, false)?.Date ?? promised : (DateOnly?)null,
            });
            await History.AddAsync(session, row.Id, ApplicationStatus.Recounted, now,
                change.Describe(ApplicantDeadlines.Label(row.Kind), row.DueBy, due));
            moved++;
        }

        return moved;
    }

    private sealed class Running
    {
        public Guid Id { get; init; }
        public string Kind { get; init; } = "";
        public DateOnly DueBy { get; init; }
        public int? Provisional { get; init; }
        public DateOnly? DecisionDueBy { get; init; }
        public DateOnly? PromisedDueBy { get; init; }
    }
}
