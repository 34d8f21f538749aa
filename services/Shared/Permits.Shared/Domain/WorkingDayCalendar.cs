using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;

namespace Permits.Shared.Domain;

/// <summary>
/// Working days (工作日) per the State Council's yearly holiday arrangements, with make-up working days (调休).
/// A year not yet published is provisional: weekends only, and every result that touches it says so.
/// <para>
/// One instance per process, shared by every service that counts deadlines: the embedded arrangements are its base,
/// and a year an administrator publishes (<see cref="Publish"/>, from the HolidayCalendarPublished event or the
/// service's table of published years at start) replaces that year whole. Each answer reads one immutable snapshot,
/// so a publication arriving mid-count never mixes two versions of a year.
/// </para>
/// </summary>
public sealed class WorkingDayCalendar
{
    private Snapshot _current;

    public WorkingDayCalendar(IEnumerable<DateOnly> holidays, IEnumerable<DateOnly> workdays, IEnumerable<int> publishedYears)
    {
        var hol = holidays.ToList();
        var work = workdays.ToList();
        _current = new Snapshot(publishedYears.Distinct().ToImmutableDictionary(
            year => year,
            year => new YearEntry(
                [.. hol.Where(d => d.Year == year)], [.. work.Where(d => d.Year == year)], Revision: 0, Notice: "")));
    }

    private WorkingDayCalendar(Snapshot snapshot) => _current = snapshot;

    public IReadOnlySet<int> PublishedYears => Volatile.Read(ref _current).Years.Keys.ToHashSet();

    public bool IsPublished(int year) => Volatile.Read(ref _current).Years.ContainsKey(year);

    /// <summary>The revision of a year as this calendar holds it: 0 for the embedded base, null when unpublished.</summary>
    public int? RevisionOf(int year) => Volatile.Read(ref _current).Years.TryGetValue(year, out var entry) ? entry.Revision : null;

    public bool IsWorkingDay(DateOnly day) => Volatile.Read(ref _current).IsWorkingDay(day);

    /// <summary>The arrangement held for <paramref name="year"/>, or null while the year is provisional.</summary>
    public HolidayYear? Arrangement(int year) =>
        Volatile.Read(ref _current).Years.TryGetValue(year, out var entry)
            ? new HolidayYear(year, [.. entry.Holidays.Order()], [.. entry.Workdays.Order()], entry.Notice)
            : null;

    /// <summary>
    /// The last day of a period of <paramref name="workingDays"/> working days triggered on <paramref name="trigger"/>.
    /// The trigger day itself does not count (民法典 Art. 201); the period ends at the end of the returned day.
    /// </summary>
    public Deadline AddWorkingDays(DateOnly trigger, int workingDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(workingDays);
        var snapshot = Volatile.Read(ref _current);
        var day = trigger;
        var provisional = false;
        for (var counted = 0; counted < workingDays;)
        {
            day = day.AddDays(1);
            provisional |= !snapshot.Years.ContainsKey(day.Year);
            if (snapshot.IsWorkingDay(day))
            {
                counted++;
            }
        }

        return new Deadline(day, provisional);
    }

    /// <summary>Working days after <paramref name="from"/> up to and including <paramref name="to"/> (0 when not after).</summary>
    public int WorkingDaysBetween(DateOnly from, DateOnly to)
    {
        var snapshot = Volatile.Read(ref _current);
        var count = 0;
        for (var day = from.AddDays(1); day <= to; day = day.AddDays(1))
        {
            if (snapshot.IsWorkingDay(day))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>
    /// Takes a published year into this (shared) calendar: it replaces the year whole, unless this calendar already
    /// holds the same or a later revision of it (a late or repeated message, or a replica that loaded it first).
    /// </summary>
    /// <returns>Whether the year changed.</returns>
    public bool Publish(HolidayYear year, int revision)
    {
        while (true)
        {
            var seen = Volatile.Read(ref _current);
            if (seen.Years.TryGetValue(year.Year, out var held) && held.Revision >= revision)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _current, seen.With(year, revision), seen) == seen)
            {
                return true;
            }
        }
    }

    /// <summary>A separate calendar: this one with <paramref name="year"/> as published (pure; this one is unchanged).</summary>
    public WorkingDayCalendar With(HolidayYear year, int revision) => new(Volatile.Read(ref _current).With(year, revision));

    /// <summary>A separate calendar: this one with <paramref name="year"/> unpublished (weekends only).</summary>
    public WorkingDayCalendar Without(int year) => new(Volatile.Read(ref _current).Without(year));

    /// <summary>
    /// A separate calendar with every year from <paramref name="year"/> on not yet published, whatever the release
    /// holds (<c>Calendar:ProvisionalFrom</c>: a training system rehearsing the entry of a year, or a test of it on any
    /// date); null: this calendar as it is.
    /// </summary>
    public WorkingDayCalendar ProvisionalFrom(int? year) =>
        year is not { } from ? this : PublishedYears.Where(y => y >= from).Aggregate(Copy(), (calendar, y) => calendar.Without(y));

    /// <summary>A separate calendar holding what this one holds now.</summary>
    public WorkingDayCalendar Copy() => new(Volatile.Read(ref _current));

    public static WorkingDayCalendar LoadEmbedded()
    {
        using var stream = typeof(WorkingDayCalendar).Assembly.GetManifestResourceStream("cn-public-holidays.json")
            ?? throw new InvalidOperationException("The holiday calendar resource is missing.");
        return Load(stream);
    }

    public static WorkingDayCalendar Load(Stream json)
    {
        using var document = JsonDocument.Parse(json);
        var calendar = new WorkingDayCalendar([], [], []);
        foreach (var year in document.RootElement.GetProperty("years").EnumerateObject())
        {
            calendar.Publish(new HolidayYear(
                int.Parse(year.Name, CultureInfo.InvariantCulture),
                [.. year.Value.GetProperty("holidays").EnumerateArray().Select(Parse)],
                [.. year.Value.GetProperty("workdays").EnumerateArray().Select(Parse)],
                year.Value.TryGetProperty("source", out var source) ? source.GetString() ?? "" : ""), revision: 0);
        }

        return calendar;

        static DateOnly Parse(JsonElement e) => DateOnly.ParseExact(e.GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    private sealed record YearEntry(ImmutableHashSet<DateOnly> Holidays, ImmutableHashSet<DateOnly> Workdays, int Revision, string Notice);

    private sealed record Snapshot(ImmutableDictionary<int, YearEntry> Years)
    {
        public bool IsWorkingDay(DateOnly day)
        {
            if (Years.TryGetValue(day.Year, out var entry))
            {
                if (entry.Workdays.Contains(day))
                {
                    return true;
                }

                if (entry.Holidays.Contains(day))
                {
                    return false;
                }
            }

            return day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
        }

        public Snapshot With(HolidayYear year, int revision) =>
            new(Years.SetItem(year.Year, new YearEntry([.. year.Holidays], [.. year.Workdays], revision, year.Notice)));

        public Snapshot Without(int year) => new(Years.Remove(year));
    }
}

/// <param name="Provisional">True when the period crosses a year whose holiday arrangement is not yet published.</param>
public sealed record Deadline(DateOnly Date, bool Provisional);
