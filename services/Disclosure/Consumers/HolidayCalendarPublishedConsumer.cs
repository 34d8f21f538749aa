using Permits.Disclosure.Requests;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Messaging;

namespace Permits.Disclosure.Consumers;

/// <summary>
/// A year's holiday arrangement published: the answer due date (答复期限) of every open 依申请公开 request whose clock
/// runs and ends on or after the year's first day is counted again (<see cref="CalendarChange.Recount"/>), the
/// request's version moves (a desk step begun on the old date is asked to reload), and its trail records the move. A
/// clock stopped for a consultation keeps its days left and counts them on the published year when it runs again.
/// </summary>
public sealed class HolidayCalendarPublishedConsumer(
    ServiceDatabase<DisclosureModule> database, WorkingDayCalendar calendar, TimeProvider time, ILogger<HolidayCalendarPublishedConsumer> logger)
    : HolidayCalendarConsumer<DisclosureModule>(database, calendar, time, logger)
{
    /// <summary>Who the trail says moved the date.</summary>
    public const string Actor = "holiday-calendar";

    private const string RunningSql = """
        SELECT id AS Id, due_on AS DueOn, due_provisional AS Provisional FROM disclosure_requests
        WHERE state <> @Answered AND due_on >= @From AND remaining_working_days IS NULL
        """;

    private const string UpdateSql = """
        UPDATE disclosure_requests SET due_on = @DueOn, due_provisional = @Provisional, version = version + 1 WHERE id = @Id
        """;

    private const string NextStepSql = "SELECT COALESCE(MAX(step_number), 0) + 1 FROM disclosure_request_steps WHERE request_id = @Id";

    protected override async Task<int> RecomputeAsync(CalendarChange change, DbSession session, CancellationToken cancellationToken)
    {
        var moved = 0;
        var running = await session.QueryAsync<Running>(RunningSql, new
        {
            Answered = nameof(RequestState.Answered), From = new DateOnly(change.Year.Year, 1, 1),
        });
        foreach (var row in running.ToList())
        {
            if (change.Recount(row.DueOn, row.Provisional != 0) is not { } due)
            {
                continue;
            }

            await session.ExecuteAsync(UpdateSql, new { row.Id, DueOn = due.Date, Provisional = due.Provisional ? 1 : 0 });
            await session.ExecuteAsync(RequestStore.InsertStepSql, new
            {
                Id = Guid.NewGuid(),
                RequestId = row.Id,
                Sequence = await session.ExecuteScalarAsync<int>(NextStepSql, new { row.Id }),
                OccurredAt = Time.GetUtcNow(),
                ActorId = Actor,
                ActorName = "节假日安排",
                Action = RequestSteps.Recounted,
                Detail = change.Describe("答复期限", row.DueOn, due),
            });
            moved++;
        }

        return moved;
    }

    private sealed class Running
    {
        public Guid Id { get; init; }
        public DateOnly DueOn { get; init; }
        public int Provisional { get; init; }
    }
}
