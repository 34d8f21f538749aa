namespace Permits.Shared.Domain;

/// <summary>
/// A year's arrangement published into one service: the calendar the service counted on before (the year
/// provisional, or its earlier revision) and after. <see cref="Recount"/> is the one rule by which every service moves
/// an open deadline that depends on the year.
/// </summary>
public sealed record CalendarChange(HolidayYear Year, int Revision, WorkingDayCalendar Before, WorkingDayCalendar After, DateOnly Today)
{
    /// <summary>
    /// The deadline <paramref name="due"/> counted again, or null when it stays as it is. The working days the
    /// deadline still had after the day before the year began (or after today, once the year has begun) are counted
    /// again from that day on the new calendar: days before it are history, alike on both calendars, so a deadline
    /// set before the year keeps its exact length; one running when the year is corrected keeps the days it had left.
    /// </summary>
    public Deadline? Recount(DateOnly due, bool provisional)
    {
        var eve = new DateOnly(Year.Year - 1, 12, 31);
        var from = Today > eve ? Today : eve;
        if (due <= from)
        {
            return null;
        }

        var moved = After.AddWorkingDays(from, Before.WorkingDaysBetween(from, due));
        return moved.Date == due && moved.Provisional == provisional ? null : moved;
    }

    /// <summary>What a service records beside each moved deadline (Chinese, for officers and applicants).</summary>
    public string Describe(string what, DateOnly before, Deadline after) =>
        $"按{Year.Year}年节假日安排（{Year.Notice}）重新计算{what}：{ChinaTime.Text(before)} 改为 {ChinaTime.Text(after.Date)}"
        + (after.Provisional ? "（仍跨未公布节假日安排的年份，为暂定）" : "");
}
