using Permits.Shared.Data;

namespace Permits.Review.Domain;

/// <summary>
/// Stores a case's clock and keeps its deadline row in step: the open row is closed and, while the clock runs, a new
/// one holds the current deadline for the durable timer (<see cref="Workers.DeadlineWatcher"/>).
/// </summary>
public static class CaseClock
{
    private const string UpdateSql = """
        UPDATE review_cases
        SET clock_phase = @Phase, clock_started_on = @StartedOn, due_by = @DueBy, due_provisional = @Provisional,
            clock_paused = @Paused, clock_remaining_days = @Remaining, decision_extended = @Extended
        WHERE id = @Id
        """;

    private const string CloseSql = "UPDATE review_deadlines SET closed_at = @Now WHERE case_id = @CaseId AND closed_at IS NULL";

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
        await session.ExecuteAsync(CloseSql, new { CaseId = caseId, Now = now });
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
}
