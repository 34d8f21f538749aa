using System.Globalization;
using Google.Protobuf.WellKnownTypes;

namespace Permits.Shared.Domain;

/// <summary>
/// Time as the law and the people in China read it: China Standard Time, UTC+8 all year (no daylight saving since
/// 1991). Legal days (受理之日, 决定之日, 有效期) are days on this clock; the one place every service and the Portal use.
/// </summary>
public static class ChinaTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    /// <summary>The date in China now.</summary>
    public static DateOnly Today(this TimeProvider time) => DateOf(time.GetUtcNow());

    /// <summary>The moment now, as a clock in China shows it.</summary>
    public static DateTimeOffset Now(this TimeProvider time) => time.GetUtcNow().ToOffset(Offset);

    /// <summary>The date in China at <paramref name="instant"/>.</summary>
    public static DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(instant.ToOffset(Offset).DateTime);

    /// <summary>The first moment of <paramref name="day"/> in China (00:00 +08:00).</summary>
    public static DateTimeOffset StartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), Offset);

    /// <summary>The instant as a China clock shows it.</summary>
    public static DateTimeOffset InChina(DateTimeOffset instant) => instant.ToOffset(Offset);

    /// <summary>yyyy-MM-dd, or "" for no date: how dates are written in records, fields and documents.</summary>
    public static string Text(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";

    /// <summary>yyyy-MM-dd HH:mm in China time.</summary>
    public static string Text(DateTimeOffset instant) =>
        instant.ToOffset(Offset).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>yyyy-MM-dd HH:mm in China time, or a dash when the time is not set.</summary>
    public static string Format(Timestamp? at) => at is null ? "—" : Text(at.ToDateTimeOffset());

    /// <summary>For the datetime attribute of &lt;time&gt;: UTC, so no "+" needs encoding.</summary>
    public static string? Machine(Timestamp? at) =>
        at?.ToDateTimeOffset().ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Reads a date written yyyy-MM-dd (surrounding spaces ignored), whatever the process culture.</summary>
    public static bool TryParseDate(string? text, out DateOnly day) =>
        DateOnly.TryParseExact(text?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);
}
