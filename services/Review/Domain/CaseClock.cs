using Permits.Shared.Data;

namespace Permits.Review.Domain;

/// <summary>
/// Stores a case's clock and keeps its deadline row in step: the open row is closed and, while the clock runs, a new
/// one holds the current deadline for the durable timer (<see cref="Workers.DeadlineWatcher"/>). Beside the running
/// decision period, a row of its own holds the county's promise (承诺时限), opened once and closed when the period
/// stops or pauses, so a promise broken once is reported once.
/// </summary>
public static class CaseClock
{
    private const string UpdateSql = """
        UPDATE review_cases
        SET clock_phase = @Phase, clock_started_on = @StartedOn, due_by = @DueBy, due_provisional = @Provisional,
            clock_paused = @Paused, clock_remaining_days = @Remaining, decision_extended = @Extended
        WHERE id = @Id
        """;

    /// <summary>The open deadline rows, the promise's too when <c>@ClosePromise</c> is 1.</summary>
    private const string CloseSql = """
        UPDATE review_deadlines SET closed_at = @Now
        WHERE case_id = @CaseId AND closed_at IS NULL AND (kind <> @Promised OR @ClosePromise = 1)
        """;

    private const string PromiseSql = """
        SELECT c.promised_due_by FROM review_cases c
        WHERE c.id = @CaseId AND c.promised_due_by IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM review_deadlines d WHERE d.case_id = c.id AND d.kind = @Promised AND d.closed_at IS NULL)
        """;

    // Warned at once: the promise has no warning of its own (the legal limit's is the one officers act on).
    private const string InsertPromiseSql = """
        INSERT INTO review_deadlines (id, case_id, county_code, kind, due_by, due_provisional, warn_on, warned_at, created_at)
        VALUES (@Id, @CaseId, @CountyCode, @Kind, @DueBy, 0, @DueBy, @Now, @Now)
        """;

    private const string InsertSql = """
        INSERT INTO review_deadlines (id, case_id, county_code, kind, due_by, due_provisional, warn_on, created_at)
        VALUES (@Id, @CaseId, @CountyCode, @Kind, @DueBy, @Provisional, @WarnOn, @Now)
        """;

    public static async Task SaveAsync(DbSession session, LegalClock clock, Guid caseId, string countyCode, ClockState state, DateTimeOffset now)
    {
        await session.ExecuteAsync(UpdateSql, new
        {
            Id = caseId,
            state.Phase,
            state.StartedOn,
            state.DueBy,
            Provisional = state.Provisional ? 1 : 0,
            Paused = state.Paused ? 1 : 0,
            Remaining = state.RemainingWorkingDays,
            Extended = state.Extended ? 1 : 0,
        });
        // The promise stands while the decision period runs, and ends when it stops or pauses.
        var promising = state.Running && state.Phase == ClockPhase.Decision;
        await session.ExecuteAsync(CloseSql, new
        {
            CaseId = caseId, Now = now, Promised = ClockPhase.PromisedDecision, ClosePromise = promising ? 0 : 1,
        });
        if (promising)
        {
            await OpenPromiseAsync(session, caseId, countyCode, now);
        }

        if (state.Running)
        {
            await session.ExecuteAsync(InsertSql, new
            {
                Id = Guid.NewGuid(),
                CaseId = caseId,
                CountyCode = countyCode,
                Kind = state.Phase,
                state.DueBy,
                Provisional = state.Provisional ? 1 : 0,
                WarnOn = clock.WarnOn(state.DueBy),
                Now = now,
            });
        }
    }

    /// <summary>Opens the promise's row once, for a case whose county promised a limit.</summary>
    private static async Task OpenPromiseAsync(DbSession session, Guid caseId, string countyCode, DateTimeOffset now)
    {
        if (await session.QuerySingleOrDefaultAsync<DateOnly?>(PromiseSql, new { CaseId = caseId, Promised = ClockPhase.PromisedDecision }) is { } due)
        {
            await session.ExecuteAsync(InsertPromiseSql, new
            {
                Id = Guid.NewGuid(), CaseId = caseId, CountyCode = countyCode, Kind = ClockPhase.PromisedDecision, DueBy = due, Now = now,
            });
        }
    }
}
