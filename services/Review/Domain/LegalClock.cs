using Permits.Shared.Domain;

namespace Permits.Review.Domain;

/// <summary>The phases of a case's legal clock (法定办理时限), each a number of working days.</summary>
public static class ClockPhase
{
    /// <summary>5 working days from receipt to accept, refuse or issue the correction notice; else deemed accepted.</summary>
    public const string Acceptance = "Acceptance";

    /// <summary>20 working days from acceptance to decide (+10 with a head's extension).</summary>
    public const string Decision = "Decision";

    /// <summary>10 working days from the decision to serve it.</summary>
    public const string Service = "Service";

    /// <summary>No legal limit runs any more (not accepted, or served).</summary>
    public const string Stopped = "Stopped";

    /// <summary>
    /// Not a phase: the kind of the deadline row of the county's promise (承诺时限) beside the legal decision limit.
    /// Its breach is reported apart, never as a legal breach.
    /// </summary>
    public const string PromisedDecision = "PromisedDecision";

    public static string Label(string phase) => phase switch
    {
        Acceptance => "受理期限",
        Decision => "审批期限",
        Service => "送达期限",
        Stopped => "已结束",
        PromisedDecision => "承诺办结期限",
        _ => phase,
    };
}

/// <summary>What a case's clock stores: the running phase, its last day, and the pause.</summary>
/// <param name="StartedOn">The day the phase was triggered (receipt, resubmission, acceptance or decision).</param>
/// <param name="RemainingWorkingDays">While paused: the working days the phase had left on the day it paused.</param>
public sealed record ClockState(
    string Phase,
    DateOnly StartedOn,
    DateOnly DueBy,
    bool Provisional,
    bool Paused = false,
    int? RemainingWorkingDays = null,
    bool Extended = false)
{
    public bool Running => !Paused && Phase != ClockPhase.Stopped;
}

/// <summary>Settings per deployment: the statutory limits (law, not promises) and when to warn.</summary>
public sealed record ClockLimits(
    int AcceptanceDays = 5,
    int DecisionDays = 20,
    int ExtensionDays = 10,
    int WarningWorkingDays = 2);

/// <summary>
/// The legal clock of one case, as pure transitions over <see cref="ClockState"/>. Working days come from the
/// holiday calendar with make-up days; the trigger day never counts; a period crossing an unpublished year is
/// provisional. The clock pauses while the applicant owes a correction and resumes with the days it had left.
/// </summary>
public sealed class LegalClock(WorkingDayCalendar calendar, ClockLimits limits)
{
    public ClockLimits Limits => limits;

    public ClockState Start(DateOnly received) => Run(ClockPhase.Acceptance, received, limits.AcceptanceDays);

    public ClockState Accept(DateOnly acceptedOn) => Run(ClockPhase.Decision, acceptedOn, limits.DecisionDays);

    /// <summary>No answer within the acceptance period: accepted from the day the (complete) materials arrived.</summary>
    public ClockState DeemAccepted(ClockState state)
    {
        Require(state, ClockPhase.Acceptance);
        return Run(ClockPhase.Decision, state.StartedOn, limits.DecisionDays);
    }

    /// <summary>
    /// 承诺时限: the county's promised decision day, counted like the legal limit from the day the decision period
    /// started; null when the county promises nothing shorter than the law.
    /// </summary>
    public Deadline? Promised(ClockState decision, County county) =>
        PromisedDays(county) is { } days ? calendar.AddWorkingDays(decision.StartedOn, days) : null;

    /// <summary>The county's 承诺时限 in working days, when it promises something shorter than the law; else null.</summary>
    public int? PromisedDays(County county) =>
        county.PromisedDecisionDays is { } days && days < limits.DecisionDays ? days : null;

    /// <summary>好差评: a 差评 is followed up within the county's working days (default 5) of the day it was given.</summary>
    public Deadline RatingFollowUp(DateOnly ratedOn, County county) =>
        calendar.AddWorkingDays(ratedOn, county.RatingFollowUpDays ?? DefaultRatingFollowUpDays);

    public const int DefaultRatingFollowUpDays = 5;

    /// <summary>The service limit starts: one rule with Delivery's (<see cref="ServiceClock"/>).</summary>
    public ClockState Decide(DateOnly decidedOn)
    {
        var due = ServiceClock.DueBy(calendar, decidedOn);
        return new ClockState(ClockPhase.Service, decidedOn, due.Date, due.Provisional);
    }

    public static ClockState Stop(ClockState state) => state with { Phase = ClockPhase.Stopped, Paused = false, RemainingWorkingDays = null };

    public ClockState Pause(ClockState state, DateOnly on)
    {
        if (state.Paused)
        {
            throw new InvalidOperationException("The clock is already paused.");
        }

        return state with { Paused = true, RemainingWorkingDays = WorkingDaysLeft(on, state.DueBy) };
    }

    /// <summary>
    /// Resubmission: the remaining days run again from the next day. In the acceptance phase the resubmission is the
    /// new receipt of the materials (what a deemed acceptance counts from).
    /// </summary>
    public ClockState Resume(ClockState state, DateOnly on)
    {
        if (!state.Paused)
        {
            throw new InvalidOperationException("The clock is not paused.");
        }

        var due = calendar.AddWorkingDays(on, state.RemainingWorkingDays ?? 0);
        return state with
        {
            Paused = false,
            RemainingWorkingDays = null,
            DueBy = due.Date,
            Provisional = due.Provisional,
            StartedOn = state.Phase == ClockPhase.Acceptance ? on : state.StartedOn,
        };
    }

    /// <summary>延期: the decision period grows by the extension days, once.</summary>
    public ClockState Extend(ClockState state)
    {
        Require(state, ClockPhase.Decision);
        if (state.Extended)
        {
            throw new InvalidOperationException("The decision period was already extended.");
        }

        if (state.Paused)
        {
            return state with { Extended = true, RemainingWorkingDays = (state.RemainingWorkingDays ?? 0) + limits.ExtensionDays };
        }

        var due = calendar.AddWorkingDays(state.DueBy, limits.ExtensionDays);
        return state with { Extended = true, DueBy = due.Date, Provisional = state.Provisional || due.Provisional };
    }

    /// <summary>Working days after <paramref name="today"/> up to and including <paramref name="dueBy"/> (0 once past).</summary>
    public int WorkingDaysLeft(DateOnly today, DateOnly dueBy)
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

    /// <summary>
    /// Working days left to <paramref name="dueBy"/> as an officer's queue shows them: 0 on its last day, negative once
    /// breached (at least -1 the day after, though that day be a holiday).
    /// </summary>
    public int WorkingDaysLeftSigned(DateOnly today, DateOnly dueBy) =>
        IsBreached(dueBy, today) ? -Math.Max(1, WorkingDaysLeft(dueBy, today)) : WorkingDaysLeft(today, dueBy);

    /// <summary>The first day on which at most <see cref="ClockLimits.WarningWorkingDays"/> working days are left.</summary>
    public DateOnly WarnOn(DateOnly dueBy)
    {
        var day = dueBy;
        for (var counted = 0; counted < limits.WarningWorkingDays;)
        {
            if (calendar.IsWorkingDay(day))
            {
                counted++;
            }

            day = day.AddDays(-1);
        }

        return day;
    }

    /// <summary>A deadline is breached once its last day has ended (China time).</summary>
    public static bool IsBreached(DateOnly dueBy, DateOnly today) => today > dueBy;

    private ClockState Run(string phase, DateOnly trigger, int days)
    {
        var due = calendar.AddWorkingDays(trigger, days);
        return new ClockState(phase, trigger, due.Date, due.Provisional);
    }

    private static void Require(ClockState state, string phase)
    {
        if (state.Phase != phase)
        {
            throw new InvalidOperationException($"The clock is in {state.Phase}, not {phase}.");
        }
    }
}
