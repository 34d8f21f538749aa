using Permits.Shared.Domain;
namespace Permits.Review.Tests;

/// <summary>A clock the test moves by hand; timers still run on real time.</summary>
public sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public static ManualTime AtChinaTime(int year, int month, int day, int hour = 10) =>
        new(new DateTimeOffset(year, month, day, hour, 0, 0, TimeSpan.FromHours(8)));

    public override DateTimeOffset GetUtcNow() => _now.ToUniversalTime();

    public void SetChinaDate(DateOnly day, int hour = 10) =>
        _now = new DateTimeOffset(day.Year, day.Month, day.Day, hour, 0, 0, TimeSpan.FromHours(8));

    public void Advance(TimeSpan by) => _now += by;
}
