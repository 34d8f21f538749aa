namespace Permits.Contracts.Calendar;

/// <summary>
/// A system administrator entered a year's holiday arrangement as the State Council published it
/// (国务院办公厅关于部分节假日安排的通知): the days off, the weekend days worked instead (调休) and the notice's number.
/// The year replaces whatever was held for it (a provisional weekends-only year, or an earlier revision: a correction);
/// every service that counts working days takes it and recounts its open deadlines that depend on it.
/// </summary>
/// <param name="Revision">1 for the first publication of the year, one more for each correction.</param>
/// <param name="PublishedBy">The administrator's officer id.</param>
public sealed record HolidayCalendarPublished(
    int Year,
    IReadOnlyList<DateOnly> Holidays,
    IReadOnlyList<DateOnly> Workdays,
    string Notice,
    int Revision,
    DateTimeOffset PublishedAt,
    string PublishedBy);
