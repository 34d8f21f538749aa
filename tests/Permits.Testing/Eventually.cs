namespace Permits.Testing;

/// <summary>
/// Waits, within a bound, for something asynchronous to become true; says what it waited for when it is not. A
/// consumer fault (<see cref="ConsumerFaultException"/>) ends the wait at once: what it waits for will not come.
/// </summary>
public static class Eventually
{
    public static async Task<T> GetAsync<T>(Func<Task<T?>> probe, Func<T, bool> done, TimeSpan timeout, string what)
        where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
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

            await Task.Delay(200);
        }

        throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}. Last seen: {last}", lastError);
    }

    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        await GetAsync<object>(async () => await condition() ? new object() : null, _ => true, timeout, what);
    }
}
