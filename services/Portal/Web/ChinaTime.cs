using System.Globalization;
using Google.Protobuf.WellKnownTypes;

namespace Permits.Portal.Web;

/// <summary>Times as people in China read them. China keeps UTC+8 all year (no daylight saving since 1991).</summary>
public static class ChinaTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    /// <summary>yyyy-MM-dd HH:mm in China time, or a dash when the time is not set.</summary>
    public static string Format(Timestamp? at) =>
        at is null ? "—" : at.ToDateTimeOffset().ToOffset(Offset).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>For the datetime attribute of &lt;time&gt;: UTC, so no "+" needs encoding.</summary>
    public static string? Machine(Timestamp? at) =>
        at?.ToDateTimeOffset().ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
