using Permits.Review.Domain;
using Permits.Shared.Domain;

namespace Permits.Review.Tests;

public sealed class When_the_legal_clock_runs
{
    private readonly LegalClock _clock = new(WorkingDayCalendar.LoadEmbedded(), new ClockLimits());

    private static DateOnly D(string text) => DateOnly.Parse(text);

    [Theory]
    // An ordinary week: five working days after a Monday is the next Monday.
    [InlineData("2026-11-02", "2026-11-09")]
    // National Day 2026 (Oct 1–7 off) and its make-up Saturday Oct 10: 9/29, 9/30, 10/8, 10/9, 10/10.
    [InlineData("2026-09-28", "2026-10-10")]
    // Spring Festival 2026: Saturday Feb 14 is worked, Feb 15–23 are off.
    [InlineData("2026-02-12", "2026-02-26")]
    public void Should_give_five_working_days_to_accept(string received, string due)
    {
        var state = _clock.Start(D(received));

        Assert.Equal(ClockPhase.Acceptance, state.Phase);
        Assert.Equal(D(due), state.DueBy);
        Assert.False(state.Provisional);
    }

    [Fact]
    public void Should_give_twenty_working_days_to_decide_across_the_spring_festival()
    {
        // 2/11–2/13, Saturday 2/14, 2/24–2/27, Saturday 2/28 (make-up), then 3/2–3/13 and 3/16.
        var state = _clock.Accept(D("2026-02-10"));

        Assert.Equal(ClockPhase.Decision, state.Phase);
        Assert.Equal(D("2026-03-16"), state.DueBy);
    }

    [Fact]
    public void Should_pause_with_the_days_left_and_resume_from_the_day_after_resubmission()
    {
        var accepted = _clock.Accept(D("2026-11-02"));
        Assert.Equal(D("2026-11-30"), accepted.DueBy);

        var paused = _clock.Pause(accepted, D("2026-11-10"));
        Assert.True(paused.Paused);
        Assert.False(paused.Running);
        Assert.Equal(14, paused.RemainingWorkingDays);

        var resumed = _clock.Resume(paused, D("2026-12-01"));
        Assert.False(resumed.Paused);
        Assert.Equal(D("2026-12-21"), resumed.DueBy);
        Assert.Equal(D("2026-11-02"), resumed.StartedOn);
    }

    [Fact]
    public void Should_resume_an_acceptance_period_paused_over_national_day_counting_the_make_up_saturday()
    {
        var paused = _clock.Pause(_clock.Start(D("2026-09-28")), D("2026-09-29"));
        Assert.Equal(4, paused.RemainingWorkingDays);

        var resumed = _clock.Resume(paused, D("2026-10-09"));

        // 10/10 (make-up Saturday), 10/12, 10/13, 10/14; the resubmission is the new receipt of the materials.
        Assert.Equal(D("2026-10-14"), resumed.DueBy);
        Assert.Equal(D("2026-10-09"), resumed.StartedOn);
    }

    [Fact]
    public void Should_extend_the_decision_period_by_ten_working_days_once()
    {
        var extended = _clock.Extend(_clock.Accept(D("2026-11-02")));

        Assert.Equal(D("2026-12-14"), extended.DueBy);
        Assert.True(extended.Extended);
        Assert.Throws<InvalidOperationException>(() => _clock.Extend(extended));
    }

    [Fact]
    public void Should_add_the_extension_to_the_days_left_when_paused()
    {
        var paused = _clock.Pause(_clock.Accept(D("2026-11-02")), D("2026-11-10"));

        var extended = _clock.Extend(paused);

        Assert.Equal(24, extended.RemainingWorkingDays);
        Assert.Equal(D("2027-01-04"), _clock.Resume(extended, D("2026-12-01")).DueBy);
    }

    [Fact]
    public void Should_mark_deadlines_that_cross_an_unpublished_year_as_provisional()
    {
        // 12/11–12/31 give 15 working days; 2027 is unpublished, so weekends only: 1/1, 1/4–1/7.
        var accepted = _clock.Accept(D("2026-12-10"));
        Assert.Equal(D("2027-01-07"), accepted.DueBy);
        Assert.True(accepted.Provisional);

        var extended = _clock.Extend(accepted);
        Assert.Equal(D("2027-01-21"), extended.DueBy);
        Assert.True(extended.Provisional);
    }

    [Fact]
    public void Should_count_a_deemed_acceptance_from_receipt()
    {
        var deemed = _clock.DeemAccepted(_clock.Start(D("2026-11-02")));

        Assert.Equal(ClockPhase.Decision, deemed.Phase);
        Assert.Equal(D("2026-11-30"), deemed.DueBy);
    }

    [Fact]
    public void Should_give_ten_working_days_to_serve_the_decision()
    {
        var service = _clock.Decide(D("2026-09-24"));

        // 9/25–9/27 are off (Mid-Autumn), 9/28–9/30, then National Day, 10/8, 10/9, 10/10 (make-up), 10/12–10/15.
        Assert.Equal(D("2026-10-15"), service.DueBy);
    }

    [Theory]
    [InlineData(23, 30)]
    [InlineData(0, 30)]
    public void Should_agree_with_the_service_rule_delivery_counts_by_either_side_of_midnight(int hour, int minute)
    {
        var decidedAt = new DateTimeOffset(2026, 11, hour == 0 ? 6 : 5, hour, minute, 0, TimeSpan.FromHours(8));

        var review = _clock.Decide(ChinaTime.DateOf(decidedAt));

        Assert.Equal(ServiceClock.DueBy(WorkingDayCalendar.LoadEmbedded(), decidedAt).Date, review.DueBy);
        Assert.Equal(D(hour == 0 ? "2026-11-20" : "2026-11-19"), review.DueBy);
    }

    [Theory]
    // Due on a Friday: warn from Wednesday (Thursday and Friday left).
    [InlineData("2026-11-27", "2026-11-25")]
    // Due on Monday 10/12: the make-up Saturday 10/10 is a working day, so warn from Friday 10/9.
    [InlineData("2026-10-12", "2026-10-09")]
    public void Should_warn_two_working_days_before(string due, string warnOn)
    {
        Assert.Equal(D(warnOn), _clock.WarnOn(D(due)));
        Assert.Equal(2, _clock.WorkingDaysLeft(D(warnOn), D(due)));
    }

    [Fact]
    public void Should_be_breached_only_after_the_last_day_has_ended()
    {
        Assert.False(LegalClock.IsBreached(D("2026-11-27"), D("2026-11-27")));
        Assert.True(LegalClock.IsBreached(D("2026-11-27"), D("2026-11-28")));
        Assert.Equal(0, _clock.WorkingDaysLeft(D("2026-11-30"), D("2026-11-27")));
    }
}
