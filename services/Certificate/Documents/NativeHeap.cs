using System.Runtime.InteropServices;

namespace Permits.Certificate.Documents;

/// <summary>
/// Gives back to the system, a few seconds after documents were rendered, the memory glibc's malloc keeps free once
/// they are done. Skia and FreeType allocate a document's native memory (the font subset's face, the PDF's deflate
/// buffers and streams) on whichever thread-pool thread renders it, and glibc gives threads arenas of their own, up to
/// eight per core: in a journey run Certificate's 16 arenas held 50 MB of which 12 MB was in use (malloc_stats), the
/// rest freed by renders but kept, since glibc returns only the top of an arena. That was a fifth of the process's
/// resident memory and most of what it had over the other services; malloc_trim returned 25 MB of it. One trim
/// (a few milliseconds, off any consumer's transaction) at most every <see cref="Delay"/> while documents are being
/// rendered, and one after the last. glibc only; another C library keeps its own ways.
/// </summary>
public static class NativeHeap
{
    /// <summary>How long after a render the trim runs; renders meanwhile share it.</summary>
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(5);

    private static int _scheduled;
    private static bool _unsupported = !OperatingSystem.IsLinux();

    /// <summary>Schedules a trim unless one is pending.</summary>
    public static void TrimSoon()
    {
        if (Volatile.Read(ref _unsupported) || Interlocked.Exchange(ref _scheduled, 1) == 1)
        {
            return;
        }

        _ = Task.Delay(Delay).ContinueWith(_ =>
        {
            // Renders from here on schedule the next trim.
            Volatile.Write(ref _scheduled, 0);
            Trim();
        }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    private static void Trim()
    {
        try
        {
            _ = MallocTrim(0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            Volatile.Write(ref _unsupported, true);
        }
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);
}
