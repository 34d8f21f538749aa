using Permits.Shared.Domain;
using Permits.Testing;

namespace Permits.Shared.Tests;

/// <summary>The shared calendar takes a published year whole, never an older revision, and counts on it at once.</summary>
public sealed class When_a_holiday_year_is_taken
{
    private static readonly DateOnly Accepted = new(2026, 12, 21);

    [Fact]
    public void Should_count_the_published_year_and_no_longer_call_it_provisional()
    {
        var calendar = WorkingDayCalendar.LoadEmbedded();
        Assert.Equal(new Deadline(new DateOnly(2027, 1, 18), true), calendar.AddWorkingDays(Accepted, 20));

        Assert.True(calendar.Publish(SampleHolidayYears.Year2027, 1));

        Assert.Equal(new Deadline(new DateOnly(2027, 1, 19), false), calendar.AddWorkingDays(Accepted, 20));
        Assert.True(calendar.IsWorkingDay(new DateOnly(2027, 1, 30)));
        Assert.False(calendar.IsWorkingDay(new DateOnly(2027, 2, 8)));
    }

    [Fact]
    public void Should_replace_a_year_by_a_later_revision_only()
    {
        var calendar = WorkingDayCalendar.LoadEmbedded();
        var corrected = SampleHolidayYears.Year2027 with { Holidays = [.. SampleHolidayYears.Year2027.Holidays, new DateOnly(2027, 4, 5)] };
        calendar.Publish(corrected, 2);

        Assert.False(calendar.Publish(SampleHolidayYears.Year2027, 1));
        Assert.False(calendar.Publish(corrected, 2));
        Assert.False(calendar.IsWorkingDay(new DateOnly(2027, 4, 5)));
        Assert.Equal(2, calendar.RevisionOf(2027));
    }

    [Fact]
    public void Should_leave_the_shared_calendar_alone_when_a_copy_is_changed()
    {
        var calendar = WorkingDayCalendar.LoadEmbedded();

        var with = calendar.With(SampleHolidayYears.Year2027, 1);
        var without = calendar.Without(2026);

        Assert.False(calendar.IsPublished(2027));
        Assert.True(with.IsPublished(2027));
        Assert.True(without.IsWorkingDay(new DateOnly(2026, 10, 1)));
        Assert.False(calendar.IsWorkingDay(new DateOnly(2026, 10, 1)));
    }

    [Fact]
    public void Should_hold_the_years_from_a_given_one_on_as_unpublished_when_told_to()
    {
        var calendar = WorkingDayCalendar.LoadEmbedded();

        var rehearsal = calendar.ProvisionalFrom(2026);

        Assert.True(rehearsal.IsPublished(2025));
        Assert.False(rehearsal.IsPublished(2026));
        Assert.True(rehearsal.IsWorkingDay(new DateOnly(2026, 10, 1)));
        Assert.True(calendar.IsPublished(2026));
        Assert.Same(calendar, calendar.ProvisionalFrom(null));
    }
}

/// <summary>One rule moves every service's open deadline: the working days it had after the eve of the year are kept.</summary>
public sealed class When_a_deadline_is_recounted
{
    private static CalendarChange Change(DateOnly today)
    {
        var before = WorkingDayCalendar.LoadEmbedded();
        return new CalendarChange(SampleHolidayYears.Year2027, 1, before, before.With(SampleHolidayYears.Year2027, 1), today);
    }

    [Fact]
    public void Should_move_a_provisional_deadline_over_the_new_holidays()
    {
        Assert.Equal(new Deadline(new DateOnly(2027, 1, 19), false), Change(new DateOnly(2026, 12, 21)).Recount(new DateOnly(2027, 1, 18), true));

        // 元旦 (one weekday off) and 春节 (Mon 8 – Fri 12 February off) cost six working days; Saturday 30 January and
        // Saturday 20 February are worked: 2027-02-15 moves to the make-up Saturday 2027-02-20.
        Assert.Equal(new DateOnly(2027, 2, 20), Change(new DateOnly(2026, 12, 21)).Recount(new DateOnly(2027, 2, 15), true)!.Date);
    }

    [Fact]
    public void Should_leave_a_deadline_before_the_year_alone_and_only_clear_the_mark_of_one_it_does_not_move()
    {
        var change = Change(new DateOnly(2026, 12, 21));

        Assert.Null(change.Recount(new DateOnly(2026, 12, 30), false));
        Assert.Equal(new Deadline(new DateOnly(2027, 1, 12), false), change.Recount(new DateOnly(2027, 1, 11), true));
        Assert.Null(change.Recount(new DateOnly(2026, 12, 31), true));
    }

    [Fact]
    public void Should_keep_the_days_left_when_the_year_has_begun()
    {
        // Today Monday 2027-01-04, due Friday 2027-01-08 on the provisional year: four working days left, still four.
        Assert.Null(Change(new DateOnly(2027, 1, 4)).Recount(new DateOnly(2027, 1, 8), false));
    }
}

/// <summary>What an administrator may enter as a year's arrangement.</summary>
public sealed class When_a_holiday_year_is_checked
{
    private static List<string> Errors(HolidayYear year) => [.. year.Validate().Items.Select(e => $"{e.Field}: {e.Message}")];

    [Fact]
    public void Should_accept_a_well_formed_year() => Assert.Empty(Errors(SampleHolidayYears.Year2027));

    [Fact]
    public void Should_name_each_wrong_field()
    {
        var wrong = new HolidayYear(
            2027,
            [new(2027, 1, 1), new(2028, 1, 1), .. Enumerable.Range(1, 12).Select(d => new DateOnly(2027, 10, d))],
            [new(2027, 1, 1), new(2027, 1, 4), new(2026, 12, 27)],
            " ");

        var errors = Errors(wrong);

        Assert.Contains(errors, e => e.StartsWith("notice: ", StringComparison.Ordinal));
        Assert.Contains("holidays: 2028-01-01 不在 2027 年内", errors);
        Assert.Contains("workdays: 2026-12-27 不在 2027 年内", errors);
        Assert.Contains("workdays: 2027-01-01 不能既放假又上班", errors);
        Assert.Contains("workdays: 2027-01-04 本是工作日，调休上班日应是周六或周日", errors);
        Assert.Contains(errors, e => e.Contains("自 2027-10-01 起连续放假 12 天", StringComparison.Ordinal));
    }

    [Fact]
    public void Should_read_days_and_blocks_as_typed_and_compare_entries_regardless_of_order()
    {
        var errors = new FieldErrors();
        var days = HolidayYear.ParseDays(["2027-02-06~2027-02-08\n2027-01-01，2027-13-01"], "holidays", errors);

        Assert.Equal([new(2027, 2, 6), new(2027, 2, 7), new(2027, 2, 8), new(2027, 1, 1)], days);
        Assert.Equal("holidays", Assert.Single(errors.Items).Field);
        Assert.True(SampleHolidayYears.Year2027.SameAs(SampleHolidayYears.Year2027 with { Holidays = [.. SampleHolidayYears.Year2027.Holidays.Reverse()] }));
    }
}
