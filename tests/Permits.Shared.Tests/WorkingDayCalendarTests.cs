using Permits.Shared.Domain;

namespace Permits.Shared.Tests;

public sealed class When_counting_working_days
{
    private readonly WorkingDayCalendar _calendar = WorkingDayCalendar.LoadEmbedded();

    [Theory]
    // National Day 2026: Oct 1–7 off, Saturday Oct 10 is a make-up working day.
    [InlineData("2026-09-30", 5, "2026-10-13")]
    // Saturday Feb 14 2026 is a make-up working day before the Spring Festival.
    [InlineData("2026-02-13", 1, "2026-02-14")]
    // The trigger day never counts, even when it is a working day.
    [InlineData("2026-11-23", 1, "2026-11-24")]
    // A Friday trigger: the weekend does not count.
    [InlineData("2026-11-27", 1, "2026-11-30")]
    // 20 working days from a Monday with no holiday in between: four whole weeks.
    [InlineData("2026-11-02", 20, "2026-11-30")]
    // Spring Festival 2025: Sunday Jan 26 is worked, Jan 28–Feb 4 are off.
    [InlineData("2025-01-24", 3, "2025-02-05")]
    public void Should_skip_holidays_and_count_make_up_days(string trigger, int days, string expected)
    {
        var deadline = _calendar.AddWorkingDays(DateOnly.Parse(trigger), days);
        Assert.Equal(DateOnly.Parse(expected), deadline.Date);
        Assert.False(deadline.Provisional);
    }

    [Fact]
    public void Should_say_when_a_deadline_depends_on_an_unpublished_year()
    {
        // 2027's arrangement is not yet published: weekends only, and the result says it is provisional.
        var deadline = _calendar.AddWorkingDays(new DateOnly(2026, 12, 30), 5);
        Assert.Equal(new DateOnly(2027, 1, 6), deadline.Date);
        Assert.True(deadline.Provisional);
    }

    [Fact]
    public void Should_know_the_published_years()
    {
        Assert.True(_calendar.IsPublished(2025));
        Assert.True(_calendar.IsPublished(2026));
        Assert.False(_calendar.IsWorkingDay(new DateOnly(2026, 10, 1)));
        Assert.True(_calendar.IsWorkingDay(new DateOnly(2026, 10, 10)));
    }
}

public sealed class When_a_decision_is_to_be_served
{
    private readonly WorkingDayCalendar _calendar = WorkingDayCalendar.LoadEmbedded();

    [Theory]
    // A Thursday decision late in the evening (China time, 15:30 UTC): its China date counts, not the UTC one.
    [InlineData("2026-11-05T15:30:00Z", "2026-11-19")]
    // Half past midnight in China is still the previous day in UTC: the Friday counts.
    [InlineData("2026-11-05T16:30:00Z", "2026-11-20")]
    // Across National Day with its make-up Saturday.
    [InlineData("2026-09-24T02:00:00Z", "2026-10-15")]
    public void Should_be_served_by_the_tenth_working_day_after_its_china_date(string decidedAt, string dueBy)
    {
        var due = ServiceClock.DueBy(_calendar, DateTimeOffset.Parse(decidedAt, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(DateOnly.Parse(dueBy, System.Globalization.CultureInfo.InvariantCulture), due.Date);
    }
}
