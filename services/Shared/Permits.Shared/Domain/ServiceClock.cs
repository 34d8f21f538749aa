namespace Permits.Shared.Domain;

/// <summary>
/// The service limit (送达期限) of a decision — the one rule Review's legal clock and Delivery's shipments both count
/// by, so they never disagree: a decision (不予受理, 准予 or 不予行政许可) is served within 10 working days of its date in
/// China; the decision day itself does not count (<see cref="WorkingDayCalendar.AddWorkingDays"/>). Counting from the
/// decision, not from when the licence was printed or shipped, is what the law asks (行政许可法 Art. 44).
/// </summary>
public static class ServiceClock
{
    public const int WorkingDays = 10;

    /// <summary>The last day to serve a decision dated <paramref name="decidedOn"/> (China date).</summary>
    public static Deadline DueBy(WorkingDayCalendar calendar, DateOnly decidedOn) =>
        calendar.AddWorkingDays(decidedOn, WorkingDays);

    /// <summary>The last day to serve a decision made at <paramref name="decidedAt"/>: its China date counts.</summary>
    public static Deadline DueBy(WorkingDayCalendar calendar, DateTimeOffset decidedAt) =>
        DueBy(calendar, ChinaTime.DateOf(decidedAt));
}
