using Permits.Shared.Domain;

namespace Permits.Testing;

/// <summary>
/// A clock the test moves by hand, in China time (<see cref="ChinaTime"/>), so deadline and calendar tests are exact.
/// Timers still run on real time. Safe to move while the service reads it from other threads.
/// </summary>
public sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    /// <summary>A clock at <paramref name="hour"/>:00 China time on the given day.</summary>
    public static ManualTime AtChinaTime(int year, int month, int day, int hour = 10) => new(At(new DateOnly(year, month, day), hour));

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    /// <summary>Today's date in China.</summary>
    public DateOnly ChinaToday => this.Today();

    public void SetChinaDate(DateOnly day, int hour = 10) => Interlocked.Exchange(ref _ticks, At(day, hour).UtcTicks);

    public void Set(int year, int month, int day, int hour = 10) => SetChinaDate(new DateOnly(year, month, day), hour);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);

    private static DateTimeOffset At(DateOnly day, int hour) => ChinaTime.StartOf(day).AddHours(hour);
}
