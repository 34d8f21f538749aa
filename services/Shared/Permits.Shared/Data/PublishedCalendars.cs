using System.Data.Common;
using Dapper;
using Permits.Contracts.Calendar;
using Permits.Shared.Domain;

namespace Permits.Shared.Data;

/// <summary>
/// The table of published years every service database keeps (shared script 005): what the service's calendar holds
/// over the embedded base, read at start and on refresh, written by the service's calendar consumer.
/// </summary>
public static class PublishedCalendars
{
    private const string ReadSql = """
        SELECT year AS Year, holidays AS Holidays, workdays AS Workdays, notice AS Notice, revision AS Revision
        FROM published_calendar_years ORDER BY year
        """;

    private const string DeleteSql = "DELETE FROM published_calendar_years WHERE year = @Year";

    private const string InsertSql = """
        INSERT INTO published_calendar_years (year, holidays, workdays, notice, revision, published_at, published_by)
        VALUES (@Year, @Holidays, @Workdays, @Notice, @Revision, @PublishedAt, @PublishedBy)
        """;

    private static readonly Lazy<WorkingDayCalendar> Base = new(WorkingDayCalendar.LoadEmbedded);

    public sealed record Entry(HolidayYear Year, int Revision);

    public static async Task<IReadOnlyList<Entry>> ReadAsync(DbConnection connection, DbTransaction? transaction = null) =>
        [.. (await connection.QueryAsync<Row>(ReadSql, transaction: transaction)).Select(r => r.Entry())];

    /// <summary>The embedded base with the given entries over it: a calendar of its own, the shared one untouched.</summary>
    public static WorkingDayCalendar Calendar(IEnumerable<Entry> entries)
    {
        var calendar = Base.Value.Copy();
        foreach (var entry in entries)
        {
            calendar.Publish(entry.Year, entry.Revision);
        }

        return calendar;
    }

    public static async Task SaveAsync(DbSession session, HolidayCalendarPublished message)
    {
        await session.ExecuteAsync(DeleteSql, new { message.Year });
        await session.ExecuteAsync(InsertSql, new
        {
            message.Year,
            Holidays = Join(message.Holidays),
            Workdays = Join(message.Workdays),
            message.Notice,
            message.Revision,
            message.PublishedAt,
            message.PublishedBy,
        });
    }

    /// <summary>How a list of days is stored (comma-separated yyyy-MM-dd, in order).</summary>
    public static string Join(IEnumerable<DateOnly> days) => string.Join(",", days.Order().Select(d => ChinaTime.Text(d)));

    /// <summary>The days <see cref="Join"/> stored.</summary>
    public static List<DateOnly> Split(string text) =>
        [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(t => ChinaTime.TryParseDate(t, out var day)
            ? day
            : throw new FormatException($"published_calendar_years holds '{t}', not a date."))];

    private sealed class Row
    {
        public int Year { get; init; }
        public string Holidays { get; init; } = "";
        public string Workdays { get; init; } = "";
        public string Notice { get; init; } = "";
        public int Revision { get; init; }

        public Entry Entry() => new(new HolidayYear(Year, Split(Holidays), Split(Workdays), Notice), Revision);
    }
}
