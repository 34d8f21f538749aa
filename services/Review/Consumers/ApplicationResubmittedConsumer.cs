using Permits.Contracts.Intake;
using Permits.Review.Domain;
using Permits.Shared.Data;
using Permits.Shared.Messaging;
using Permits.Shared.Domain;

namespace Permits.Review.Consumers;

/// <summary>
/// The applicant answered the correction notice: the paused clock resumes with the working days it had left, and the
/// case returns to the stage it was paused in (a notice asked before acceptance puts it back on the clerk's desk).
/// </summary>
public sealed partial class ApplicationResubmittedConsumer(
    ServiceDatabase<ReviewModule> database,
    LegalClock clock,
    ILogger<ApplicationResubmittedConsumer> logger)
    : InboxConsumer<ReviewModule, ApplicationResubmitted>(database, logger)
{
    private const string LoadSql = $"SELECT {CaseRow.Columns} FROM review_cases WHERE application_id = @ApplicationId";

    /// <summary>The stage and the work step it brings, under the version read: the case is read once.</summary>
    private const string UpdateSql = """
        UPDATE review_cases SET stage = @Stage, step = @Step, version = version + 1
        WHERE id = @Id AND version = @Version AND stage = @Paused
        """;

    private const string AnsweredSql = """
        UPDATE review_correction_notices SET resubmitted_at = @ResubmittedAt WHERE case_id = @Id AND resubmitted_at IS NULL
        """;

    protected override async Task HandleAsync(ApplicationResubmitted message, DbSession session, CancellationToken cancellationToken)
    {
        var row = await session.QuerySingleOrDefaultAsync<CaseRow>(LoadSql, new { message.ApplicationId });
        if (row is null || row.Stage != CaseStage.AwaitingCorrection || !row.Clock.Paused)
        {
            // Nothing is owed (e.g. a resubmission that crossed a refusal): there is no clock to resume.
            LogNothingOwed(logger, message.ApplicationId, row?.Stage);
            return;
        }

        var resumed = clock.Resume(row.Clock, ChinaTime.DateOf(message.ResubmittedAt));
        var stage = resumed.Phase == ClockPhase.Acceptance ? CaseStage.AwaitingAcceptance : CaseStage.UnderReview;
        // The version guards the rest of the row as read, so the work step follows from it and the new stage alone.
        var updated = await session.ExecuteAsync(UpdateSql, new
        {
            row.Id, row.Version, Stage = stage, Step = CaseStep.Of(row, stage), Paused = CaseStage.AwaitingCorrection,
        });
        if (updated != 1)
        {
            throw new InvalidOperationException($"Case {row.Id} changed while resuming its clock; the bus retries.");
        }

        await CaseClock.SaveAsync(session, clock, row.Id, row.CountyCode, resumed, message.ResubmittedAt);
        await session.ExecuteAsync(AnsweredSql, new { row.Id, message.ResubmittedAt });
    }

    [LoggerMessage(LogLevel.Information, "Resubmission of {ApplicationId} found the case in stage {Stage}; no clock to resume")]
    private static partial void LogNothingOwed(ILogger logger, Guid applicationId, string? stage);
}
