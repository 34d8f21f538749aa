using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Intake.Domain;

/// <summary>
/// The bureau's next legal deadline as the applicant sees it, counted in working days on the shared holiday calendar
/// like Review's clock: 受理 within <c>Intake:Deadlines:AcceptanceDays</c> (5) working days of receipt, then the
/// decision and 送达 by the dates Review announces (acceptance, extension, approval); the clock stands still while the applicant owes a correction and resumes with the days left.
/// Review's dates, when its events carry them, replace Intake's own count.
/// </summary>
public sealed class ApplicantDeadlines(WorkingDayCalendar calendar, IConfiguration configuration)
{
    public const string Acceptance = "Acceptance";
    public const string Decision = "Decision";
    public const string Service = "Service";

    private int AcceptanceDays => configuration.GetValue("Intake:Deadlines:AcceptanceDays", 5);

    /// <summary>
    /// The next deadline's columns as SET items, from <see cref="DeadlineValues"/>' parameters: for this class's own
    /// statements and for a consumer whose one UPDATE sets them among the event's other columns.
    /// </summary>
    public const string SetColumns = """
        deadline_kind = @DeadlineKind, deadline_due_by = @DeadlineDueBy, deadline_provisional = @DeadlineProvisional,
            deadline_paused_days = NULL
        """;

    /// <summary>Review's decision date: the next deadline and the decision date shown beside it.</summary>
    public const string DecisionColumns = $"{SetColumns}, decision_due_by = @DeadlineDueBy";

    /// <summary>Nothing more runs (served, refused, withdrawn).</summary>
    public const string ClearColumns =
        "deadline_kind = NULL, deadline_due_by = NULL, deadline_provisional = NULL, deadline_paused_days = NULL";

    /// <summary>
    /// <see cref="SetColumns"/> unless the application is already concluded (<c>@Concluded</c>,
    /// <see cref="ApplicationStatus.ConcludedStatuses"/>): for an event that may arrive after it was (other queues), so
    /// no deadline reappears. The status tested is the row's as the statement found it, whatever the statement sets.
    /// </summary>
    public const string SetUnlessConcludedColumns = """
        deadline_kind = CASE WHEN status IN @Concluded THEN deadline_kind ELSE @DeadlineKind END,
            deadline_due_by = CASE WHEN status IN @Concluded THEN deadline_due_by ELSE @DeadlineDueBy END,
            deadline_provisional = CASE WHEN status IN @Concluded THEN deadline_provisional ELSE @DeadlineProvisional END,
            deadline_paused_days = CASE WHEN status IN @Concluded THEN deadline_paused_days ELSE NULL END
        """;

    /// <summary><see cref="SetUnlessConcludedColumns"/> as PostgreSQL takes the list (an array).</summary>
    public const string SetUnlessConcludedColumnsPostgres = """
        deadline_kind = CASE WHEN status = ANY(@Concluded) THEN deadline_kind ELSE @DeadlineKind END,
            deadline_due_by = CASE WHEN status = ANY(@Concluded) THEN deadline_due_by ELSE @DeadlineDueBy END,
            deadline_provisional = CASE WHEN status = ANY(@Concluded) THEN deadline_provisional ELSE @DeadlineProvisional END,
            deadline_paused_days = CASE WHEN status = ANY(@Concluded) THEN deadline_paused_days ELSE NULL END
        """;

    /// <summary>
    /// <see cref="SetColumns"/> only if the same UPDATE moves the status (it is one of <c>@From</c>, as the statement
    /// found it): for a step whose deadline is the next one only while the application is at that step, such as
    /// acceptance (the decision's deadline) arriving after the approval (other queues), whose service deadline stays.
    /// </summary>
    public const string SetIfMovingColumns = """
        deadline_kind = CASE WHEN status IN @From THEN @DeadlineKind ELSE deadline_kind END,
            deadline_due_by = CASE WHEN status IN @From THEN @DeadlineDueBy ELSE deadline_due_by END,
            deadline_provisional = CASE WHEN status IN @From THEN @DeadlineProvisional ELSE deadline_provisional END,
            deadline_paused_days = CASE WHEN status IN @From THEN NULL ELSE deadline_paused_days END
        """;

    /// <summary><see cref="SetIfMovingColumns"/> as PostgreSQL takes the list (an array).</summary>
    public const string SetIfMovingColumnsPostgres = """
        deadline_kind = CASE WHEN status = ANY(@From) THEN @DeadlineKind ELSE deadline_kind END,
            deadline_due_by = CASE WHEN status = ANY(@From) THEN @DeadlineDueBy ELSE deadline_due_by END,
            deadline_provisional = CASE WHEN status = ANY(@From) THEN @DeadlineProvisional ELSE deadline_provisional END,
            deadline_paused_days = CASE WHEN status = ANY(@From) THEN NULL ELSE deadline_paused_days END
        """;

    private const string SetSql = $"UPDATE applications SET {SetColumns} WHERE id = @Id";

    private const string SetDecisionSql = $"UPDATE applications SET {DecisionColumns} WHERE id = @Id";

    private const string ClearSql = $"UPDATE applications SET {ClearColumns} WHERE id = @Id";

    private const string CurrentSql = """
        SELECT deadline_kind AS Kind, deadline_due_by AS DueBy, deadline_paused_days AS PausedDays FROM applications WHERE id = @Id
        """;

    private const string PauseSql = "UPDATE applications SET deadline_paused_days = @Days WHERE id = @Id";

    public static string Label(string? kind) => kind switch
    {
        Acceptance => "受理期限",
        Decision => "审批期限",
        Service => "送达期限",
        _ => "",
    };

    /// <summary>
    /// Received (submitted): the bureau accepts, refuses or asks for corrections within the acceptance days; written by
    /// the application's own INSERT.
    /// </summary>
    public DeadlineValues AcceptanceOf(DateTimeOffset receivedAt) =>
        DeadlineValues.Of(Acceptance, calendar.AddWorkingDays(ChinaTime.DateOf(receivedAt), AcceptanceDays));

    /// <summary>Review's decision date (on acceptance or extension), for <see cref="DecisionColumns"/>.</summary>
    public static DeadlineValues DecisionOf(DateOnly dueBy, bool provisional) => DeadlineValues.Of(Decision, new Deadline(dueBy, provisional));

    /// <summary>Decided (approved): the licence is served by Review's date (10 working days from the decision).</summary>
    public DeadlineValues ServiceOf(DateOnly dueBy) => DeadlineValues.Of(Service, new Deadline(dueBy, !calendar.IsPublished(dueBy.Year)));

    /// <summary>Nothing more runs (served, refused, withdrawn).</summary>
    public Task StopAsync(DbSession session, Guid applicationId) => session.ExecuteAsync(ClearSql, new { Id = applicationId });

    /// <summary>A correction notice: the running deadline stands still with the working days left after the notice's day.</summary>
    public async Task PauseAsync(DbSession session, Guid applicationId, DateTimeOffset at)
    {
        var current = await session.QuerySingleOrDefaultAsync<DeadlineRow>(CurrentSql, new { Id = applicationId });
        if (current?.DueBy is not { } dueBy || current.PausedDays is not null || current.Kind == Service)
        {
            return;
        }

        await session.ExecuteAsync(PauseSql, new { Id = applicationId, Days = WorkingDaysLeft(ChinaTime.DateOf(at), dueBy) });
    }

    /// <summary>Resubmitted: the days left run again from the next day.</summary>
    public async Task ResumeAsync(DbSession session, Guid applicationId, DateTimeOffset at)
    {
        var current = await session.QuerySingleOrDefaultAsync<DeadlineRow>(CurrentSql, new { Id = applicationId });
        if (current?.PausedDays is not { } days || current.Kind is null)
        {
            return;
        }

        var due = calendar.AddWorkingDays(ChinaTime.DateOf(at), days);
        await session.ExecuteAsync(current.Kind == Decision ? SetDecisionSql : SetSql, Parameters(applicationId, DeadlineValues.Of(current.Kind, due)));
    }

    private static object Parameters(Guid applicationId, DeadlineValues values) => new
    {
        Id = applicationId, values.DeadlineKind, values.DeadlineDueBy, values.DeadlineProvisional,
    };

    private int WorkingDaysLeft(DateOnly today, DateOnly dueBy)
    {
        var left = 0;
        for (var day = today.AddDays(1); day <= dueBy; day = day.AddDays(1))
        {
            if (calendar.IsWorkingDay(day))
            {
                left++;
            }
        }

        return left;
    }


    private sealed class DeadlineRow
    {
        public string? Kind { get; init; }
        public DateOnly? DueBy { get; init; }
        public int? PausedDays { get; init; }
    }
}

/// <summary>The next deadline as parameters of <see cref="ApplicantDeadlines.SetColumns"/>, the statements built on them and the application's INSERT.</summary>
public sealed record DeadlineValues(string DeadlineKind, DateOnly DeadlineDueBy, int DeadlineProvisional)
{
    public static DeadlineValues Of(string kind, Deadline due) => new(kind, due.Date, due.Provisional ? 1 : 0);
}
