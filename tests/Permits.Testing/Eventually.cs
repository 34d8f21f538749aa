namespace Permits.Testing;

/// <summary>
/// Waits, within a bound, for something asynchronous to become true; says what it waited for when it is not. A
/// consumer fault (<see cref="ConsumerFaultException"/>) ends the wait at once: what it waits for will not come.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(200);

    /// <param name="slowestPause">
    /// When set, the pause between probes grows by half from 200 ms up to this: a wait expected to take seconds (a
    /// journey's driver waiting for delivery) then costs the system a few probes instead of one every 200 ms.
    /// </param>
    public static async Task<T> GetAsync<T>(Func<Task<T?>> probe, Func<T, bool> done, TimeSpan timeout, string what, TimeSpan? slowestPause = null)
        where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        var pause = FirstPause;
        T? last = null;
        Exception? lastError = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = await probe();
                if (last is not null && done(last))
                {
                    return last;
                }
            }
            catch (Exception ex) when (ex is not ConsumerFaultException)
            {
                lastError = ex;
            }

            await Task.Delay(pause);
            if (slowestPause is { } slowest)
            {
                pause = TimeSpan.FromTicks(Math.Min(slowest.Ticks, pause.Ticks * 3 / 2));
            }
        }

        throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}. Last seen: {last}", lastError);
    }

    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        await GetAsync<object>(async () => await condition() ? new object() : null, _ => true, timeout, what);
    }
}
