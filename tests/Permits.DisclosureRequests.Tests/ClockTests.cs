using Permits.Disclosure.Requests;
using Permits.Shared.Domain;

namespace Permits.DisclosureRequests.Tests;

/// <summary>The statutory periods over the State Council's 2026 holidays and make-up working days.</summary>
public sealed class When_the_request_clock_crosses_holidays
{
    private readonly RequestClock _clock = new(WorkingDayCalendar.LoadEmbedded(), new RequestLimits());

    [Fact]
    public void Should_skip_the_spring_festival_and_count_its_make_up_saturdays()
    {
        // Filed Friday 13 Feb 2026: Sat 14 Feb is a working day, 15–23 Feb are holidays, Sat 28 Feb works again.
        var due = _clock.AnswerDue(new DateOnly(2026, 2, 13));

        Assert.Equal(new DateOnly(2026, 3, 19), due.Date);
        Assert.False(due.Provisional);
        Assert.Equal(new DateOnly(2026, 3, 2), _clock.CorrectionNoticeDue(new DateOnly(2026, 2, 13)).Date);
    }

    [Fact]
    public void Should_skip_national_day_and_count_the_make_up_saturday_after_it()
    {
        // Filed Wednesday 30 Sep 2026: 1–7 Oct are holidays, Sat 10 Oct is a working day.
        Assert.Equal(new DateOnly(2026, 10, 15), _clock.CorrectionNoticeDue(new DateOnly(2026, 9, 30)).Date);
        Assert.Equal(new DateOnly(2026, 11, 3), _clock.AnswerDue(new DateOnly(2026, 9, 30)).Date);
    }

    [Fact]
    public void Should_extend_by_twenty_working_days_from_the_due_date()
    {
        var extended = _clock.Extend(new DateOnly(2026, 3, 19));

        Assert.Equal(new DateOnly(2026, 4, 17), extended.Date);
    }

    [Fact]
    public void Should_mark_a_period_reaching_into_an_unpublished_year_as_provisional()
    {
        Assert.True(_clock.AnswerDue(new DateOnly(2026, 12, 15)).Provisional);
    }

    [Fact]
    public void Should_resume_a_consultation_from_the_third_partys_deadline_when_it_ends_later()
    {
        // Paused on Mon 2 Mar with 10 working days left; the third party's 15 working days end Mon 23 Mar.
        var consultationDue = _clock.ConsultationDue(new DateOnly(2026, 3, 2));
        Assert.Equal(new DateOnly(2026, 3, 23), consultationDue.Date);

        var endedEarly = _clock.Resume(new DateOnly(2026, 3, 9), consultationDue.Date, 10);
        var endedLate = _clock.Resume(new DateOnly(2026, 4, 30), consultationDue.Date, 10);

        Assert.Equal(new DateOnly(2026, 3, 23), endedEarly.Date);
        Assert.Equal(new DateOnly(2026, 4, 7), endedLate.Date);
    }
}
