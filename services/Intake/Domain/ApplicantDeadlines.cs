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

    private const string SetSql = """
        UPDATE applications SET deadline_kind = @Kind, deadline_due_by = @DueBy, deadline_provisional = @Provisional,
            deadline_paused_days = NULL
        WHERE id = @Id
        """;

    private const string ClearSql = """
        UPDATE applications SET deadline_kind = NULL, deadline_due_by = NULL, deadline_provisional = NULL, deadline_paused_days = NULL
        WHERE id = @Id
        """;

    private const string CurrentSql = """
        SELECT deadline_kind AS Kind, deadline_due_by AS DueBy, deadline_paused_days AS PausedDays FROM applications WHERE id = @Id
        """;

    private const string PauseSql = "UPDATE applications SET deadline_paused_days = @Days WHERE id = @Id";

    private const string DecisionDueSql = "UPDATE applications SET decision_due_by = @DueBy WHERE id = @Id";

    public static string Label(string? kind) => kind switch
    {
        Acceptance => "受理期限",
        Decision => "审批期限",
        Service => "送达期限",
        _ => "",
    };

    /// <summary>Received (submitted): the bureau accepts, refuses or asks for corrections within the acceptance days.</summary>
    public Task StartAcceptanceAsync(DbSession session, Guid applicationId, DateTimeOffset receivedAt) =>
        SetAsync(session, applicationId, Acceptance, calendar.AddWorkingDays(ChinaTime.DateOf(receivedAt), AcceptanceDays));

    /// <summary>Review's decision date (on acceptance or extension).</summary>
    public async Task SetDecisionAsync(DbSession session, Guid applicationId, DateOnly dueBy, bool provisional)
    {
        await SetAsync(session, applicationId, Decision, new Deadline(dueBy, provisional));
        await session.ExecuteAsync(DecisionDueSql, new { Id = applicationId, DueBy = dueBy });
    }

    /// <summary>Decided (approved): the licence is served by Review's date (10 working days from the decision).</summary>
    public Task SetServiceAsync(DbSession session, Guid applicationId, DateOnly dueBy) =>
        SetAsync(session, applicationId, Service, new Deadline(dueBy, !calendar.IsPublished(dueBy.Year)));

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
        if (current.Kind == Decision)
        {
            await SetDecisionAsync(session, applicationId, due.Date, due.Provisional);
        }
        else
        {
            await SetAsync(session, applicationId, current.Kind, due);
        }
    }

    private Task SetAsync(DbSession session, Guid applicationId, string kind, Deadline due) =>
        session.ExecuteAsync(SetSql, new { Id = applicationId, Kind = kind, DueBy = due.Date, Provisional = due.Provisional ? 1 : 0 });

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
