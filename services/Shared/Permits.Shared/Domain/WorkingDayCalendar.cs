using System.Globalization;
using System.Text.Json;

namespace Permits.Shared.Domain;

/// <summary>
/// Working days (工作日) per the State Council's yearly holiday arrangements, with make-up working days (调休).
/// A year not yet published is provisional: weekends only, and every result that touches it says so.
/// </summary>
public sealed class WorkingDayCalendar
{
    private readonly HashSet<DateOnly> _holidays;
    private readonly HashSet<DateOnly> _workdays;
    private readonly HashSet<int> _publishedYears;

    public WorkingDayCalendar(IEnumerable<DateOnly> holidays, IEnumerable<DateOnly> workdays, IEnumerable<int> publishedYears)
    {
        _holidays = [.. holidays];
        _workdays = [.. workdays];
        _publishedYears = [.. publishedYears];
    }

    public IReadOnlySet<int> PublishedYears => _publishedYears;

    public bool IsPublished(int year) => _publishedYears.Contains(year);

    public bool IsWorkingDay(DateOnly day)
    {
        if (_workdays.Contains(day))
        {
            return true;
        }

        return !_holidays.Contains(day) && day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
    }

    /// <summary>
    /// The last day of a period of <paramref name="workingDays"/> working days triggered on <paramref name="trigger"/>.
    /// The trigger day itself does not count (民法典 Art. 201); the period ends at the end of the returned day.
    /// </summary>
    public Deadline AddWorkingDays(DateOnly trigger, int workingDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(workingDays);
        var day = trigger;
        var provisional = false;
        for (var counted = 0; counted < workingDays;)
        {
            day = day.AddDays(1);
            provisional |= !IsPublished(day.Year);
            if (IsWorkingDay(day))
            {
                counted++;
            }
        }

        return new Deadline(day, provisional);
    }

    public static WorkingDayCalendar LoadEmbedded()
    {
        using var stream = typeof(WorkingDayCalendar).Assembly.GetManifestResourceStream("cn-public-holidays.json")
            ?? throw new InvalidOperationException("The holiday calendar resource is missing.");
        return Load(stream);
    }

    public static WorkingDayCalendar Load(Stream json)
    {
        using var document = JsonDocument.Parse(json);
        var holidays = new List<DateOnly>();
        var workdays = new List<DateOnly>();
        var years = new List<int>();
        foreach (var year in document.RootElement.GetProperty("years").EnumerateObject())
        {
            years.Add(int.Parse(year.Name, CultureInfo.InvariantCulture));
            holidays.AddRange(year.Value.GetProperty("holidays").EnumerateArray().Select(Parse));
            workdays.AddRange(year.Value.GetProperty("workdays").EnumerateArray().Select(Parse));
        }

        return new WorkingDayCalendar(holidays, workdays, years);

        static DateOnly Parse(JsonElement e) => DateOnly.ParseExact(e.GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
    }
}

/// <param name="Provisional">True when the period crosses a year whose holiday arrangement is not yet published.</param>
public sealed record Deadline(DateOnly Date, bool Provisional);
