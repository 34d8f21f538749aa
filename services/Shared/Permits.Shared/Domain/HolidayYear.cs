namespace Permits.Shared.Domain;

/// <summary>
/// One year's arrangement as the State Council publishes it (国务院办公厅关于YYYY年部分节假日安排的通知): the days off
/// (<see cref="Holidays"/>, weekends inside a holiday block included) and the weekend days worked instead (调休,
/// <see cref="Workdays"/>), with the notice's number (国办发明电〔2026〕N号).
/// </summary>
public sealed record HolidayYear(int Year, IReadOnlyList<DateOnly> Holidays, IReadOnlyList<DateOnly> Workdays, string Notice)
{
    /// <summary>The longest run of consecutive days off one holiday may give (春节 with its weekends: 9 in 2026).</summary>
    public const int LongestBlock = 10;

    /// <summary>More days off than any arrangement has given (2026: 33, weekends inside blocks included).</summary>
    public const int MostHolidays = 45;

    public const int NoticeMaxLength = 60;

    /// <summary>Sorted and without repeats, so two entries of the same arrangement compare equal.</summary>
    public HolidayYear Normalized() =>
        this with { Holidays = [.. Holidays.Distinct().Order()], Workdays = [.. Workdays.Distinct().Order()], Notice = Notice.Trim() };

    /// <summary>Whether two entries say the same (dates and notice): republishing such an entry changes nothing.</summary>
    public bool SameAs(HolidayYear other)
    {
        var a = Normalized();
        var b = other.Normalized();
        return a.Year == b.Year && a.Notice == b.Notice && a.Holidays.SequenceEqual(b.Holidays) && a.Workdays.SequenceEqual(b.Workdays);
    }

    /// <summary>
    /// What is wrong with the entry, field by field (fields year, holidays, workdays, notice): every date inside the
    /// year, no day both off and worked, a make-up working day only on a Saturday or Sunday (a weekday is worked
    /// anyway), each block of consecutive days off at most <see cref="LongestBlock"/> days, and the notice number given.
    /// </summary>
    public FieldErrors Validate(FieldErrors? into = null)
    {
        var errors = into ?? new FieldErrors();
        if (Year is < 2000 or > 2100)
        {
            errors.Add("year", "年份应在 2000 至 2100 之间");
            return errors;
        }

        if (string.IsNullOrWhiteSpace(Notice))
        {
            errors.Add("notice", "请填写国务院办公厅通知的文号，如 国办发明电〔2026〕7号");
        }
        else if (Notice.Trim().Length > NoticeMaxLength)
        {
            errors.Add("notice", $"通知文号不能超过 {NoticeMaxLength} 个字");
        }

        var holidays = Holidays.Distinct().Order().ToList();
        var workdays = Workdays.Distinct().Order().ToList();
        if (holidays.Count == 0)
        {
            errors.Add("holidays", "请至少填写一个放假日期");
        }
        else if (holidays.Count > MostHolidays)
        {
            errors.Add("holidays", $"放假日期多于 {MostHolidays} 天，请核对");
        }

        foreach (var day in holidays.Where(d => d.Year != Year))
        {
            errors.Add("holidays", $"{ChinaTime.Text(day)} 不在 {Year} 年内");
        }

        foreach (var day in workdays.Where(d => d.Year != Year))
        {
            errors.Add("workdays", $"{ChinaTime.Text(day)} 不在 {Year} 年内");
        }

        foreach (var day in workdays.Intersect(holidays))
        {
            errors.Add("workdays", $"{ChinaTime.Text(day)} 不能既放假又上班");
        }

        foreach (var day in workdays.Where(d => d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)))
        {
            errors.Add("workdays", $"{ChinaTime.Text(day)} 本是工作日，调休上班日应是周六或周日");
        }

        foreach (var (first, length) in Blocks(holidays).Where(b => b.Length > LongestBlock))
        {
            errors.Add("holidays", $"自 {ChinaTime.Text(first)} 起连续放假 {length} 天，超过 {LongestBlock} 天，请核对");
        }

        return errors;
    }

    /// <summary>
    /// Days as an administrator types them, one entry a day (yyyy-MM-dd) or a block (yyyy-MM-dd~yyyy-MM-dd, also 至);
    /// what cannot be read is added to <paramref name="errors"/> under <paramref name="field"/>.
    /// </summary>
    public static List<DateOnly> ParseDays(IEnumerable<string> entries, string field, FieldErrors errors)
    {
        var days = new List<DateOnly>();
        foreach (var entry in entries.SelectMany(e => e.Split([',', '，', '、', ';', '；', '\n'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
        {
            var ends = entry.Split(['~', '～', '至'], 2, StringSplitOptions.TrimEntries);
            if (!ChinaTime.TryParseDate(ends[0], out var first))
            {
                errors.Add(field, $"“{entry}”不是日期（应为 yyyy-MM-dd）");
                continue;
            }

            var last = first;
            if (ends.Length == 2 && (!ChinaTime.TryParseDate(ends[1], out last) || last < first || last.DayNumber - first.DayNumber >= 31))
            {
                errors.Add(field, $"“{entry}”不是有效的起止日期");
                continue;
            }

            for (var day = first; day <= last; day = day.AddDays(1))
            {
                days.Add(day);
            }
        }

        return days;
    }

    /// <summary>Runs of consecutive days off: each run's first day and length.</summary>
    private static IEnumerable<(DateOnly First, int Length)> Blocks(IReadOnlyList<DateOnly> sorted)
    {
        for (var i = 0; i < sorted.Count;)
        {
            var j = i;
            while (j + 1 < sorted.Count && sorted[j + 1] == sorted[j].AddDays(1))
            {
                j++;
            }

            yield return (sorted[i], j - i + 1);
            i = j + 1;
        }
    }
}
