using System.Globalization;
using Permits.Contracts.Disclosure;
using Permits.Shared.Domain;

namespace Permits.Disclosure.Domain;

/// <summary>
/// 双公示 timeliness: a licensing decision must be public within 7 working days (configurable:
/// <c>Disclosure:PublicationLimitWorkingDays</c>). Days count from the day after the decision (民法典 Art. 201).
/// </summary>
public static class Publication
{
    /// <summary>The decision date: the record's XK_JDRQ when it has one, else the day the step occurred (China time).</summary>
    public static DateOnly? DecisionDate(string kind, DateTimeOffset occurredAt, IReadOnlyDictionary<string, string> fields)
    {
        if (!DisclosureKinds.Decisions.Contains(kind))
        {
            return null;
        }

        return fields.TryGetValue("XK_JDRQ", out var text)
            && ChinaTime.TryParseDate(text, out var date)
            ? date
            : ChinaTime.DateOf(occurredAt);
    }

    /// <summary>Working days after the decision day up to and including the publication day.</summary>
    public static int WorkingDaysBetween(WorkingDayCalendar calendar, DateOnly decided, DateOnly published)
    {
        var days = 0;
        for (var day = decided.AddDays(1); day <= published && days < 10_000; day = day.AddDays(1))
        {
            if (calendar.IsWorkingDay(day))
            {
                days++;
            }
        }

        return days;
    }
}
