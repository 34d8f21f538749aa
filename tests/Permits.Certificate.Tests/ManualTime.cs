using Permits.Shared.Domain;
namespace Permits.Certificate.Tests;

/// <summary>A clock the test moves by hand; timers still run on real time.</summary>
public sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public DateOnly ChinaToday => DateOnly.FromDateTime(GetUtcNow().ToOffset(TimeSpan.FromHours(8)).DateTime);

    public void SetChinaDate(DateOnly day, int hour = 10) =>
        Interlocked.Exchange(ref _ticks, new DateTimeOffset(day.Year, day.Month, day.Day, hour, 0, 0, TimeSpan.FromHours(8)).UtcTicks);
}
