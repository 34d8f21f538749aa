using Permits.Shared.Domain;

namespace Permits.Notifications.Domain;

/// <summary>
/// The hours (China time) when applicants are not disturbed: from <paramref name="StartHour"/> to
/// <paramref name="EndHour"/> the next morning (or within one day when the start is earlier than the end).
/// </summary>
public sealed record QuietHours(int StartHour, int EndHour)
{
    public bool Contains(DateTimeOffset instant)
    {
        var hour = ChinaTime.InChina(instant).Hour;
        return StartHour > EndHour ? hour >= StartHour || hour < EndHour : hour >= StartHour && hour < EndHour;
    }

    /// <summary>When the quiet hours holding <paramref name="instant"/> end; <paramref name="instant"/> itself outside them.</summary>
    public DateTimeOffset EndAfter(DateTimeOffset instant)
    {
        if (!Contains(instant))
        {
            return instant;
        }

        var day = ChinaTime.DateOf(instant);
        var end = ChinaTime.StartOf(day).AddHours(EndHour);
        return end > instant ? end : ChinaTime.StartOf(day.AddDays(1)).AddHours(EndHour);
    }

    /// <summary>The first moment of the next China day outside quiet hours (where a capped message waits).</summary>
    public DateTimeOffset NextMorning(DateTimeOffset instant) =>
        EndAfter(ChinaTime.StartOf(ChinaTime.DateOf(instant).AddDays(1)));
}
