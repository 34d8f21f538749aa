using Permits.Contracts.Calendar;
using Permits.Contracts.Review.V1;
using Permits.Shared.Domain;

namespace Permits.Testing;

/// <summary>
/// A 2027 arrangement for tests (hypothetical, shaped like the State Council's: 元旦 Friday 1 January to Sunday 3
/// January, 春节 from Saturday 6 February with two make-up Saturdays). What matters to the tests: 2027-01-01 is a
/// Friday off, so a 20-working-day period crossing it ends one working day later than on the provisional
/// (weekends-only) 2027.
/// </summary>
public static class SampleHolidayYears
{
    public const string Notice2027 = "国办发明电〔2026〕9号";

    public static HolidayYear Year2027 { get; } = new(
        2027,
        [
            new(2027, 1, 1), new(2027, 1, 2), new(2027, 1, 3),
            .. Enumerable.Range(6, 9).Select(d => new DateOnly(2027, 2, d)),
        ],
        [new(2027, 1, 30), new(2027, 2, 20)],
        Notice2027);

    public static PublishHolidayCalendarRequest Request2027()
    {
        var request = new PublishHolidayCalendarRequest { Year = 2027, Notice = Notice2027 };
        request.Holidays.AddRange(Year2027.Holidays.Select(d => ChinaTime.Text(d)));
        request.Workdays.AddRange(Year2027.Workdays.Select(d => ChinaTime.Text(d)));
        return request;
    }

    /// <summary>The event as Review's outbox carries it, for a service under test alone.</summary>
    public static HolidayCalendarPublished Published2027(DateTimeOffset at, int revision = 1) =>
        new(2027, Year2027.Holidays, Year2027.Workdays, Notice2027, revision, at, "o-hy-admin");
}
