using System.Runtime.InteropServices;

namespace Permits.Certificate.Documents;

/// <summary>
/// Gives back to the system, a few seconds after documents were rendered, the memory glibc's malloc keeps free once
/// they are done. Skia and FreeType allocate a document's native memory (the font subset's face, the PDF's deflate
/// buffers and streams) on whichever thread-pool thread renders it, and glibc gives threads arenas of their own, up to
/// eight per core: in a journey run Certificate's 16 arenas held 50 MB of which 12 MB was in use (malloc_stats), the
/// rest freed by renders but kept, since glibc returns only the top of an arena by itself. That was a fifth of the
/// process's resident memory and most of what it had over the other services; malloc_trim returned 25 MB of it, and
/// trimming so the journey bench's Certificate stayed at 220–230 MB rather than 246–262. One trim (about 2 ms of a
/// thread-pool thread, off any consumer's transaction, once per <see cref="Delay"/> at most while documents are being
/// rendered and once after the last). Limiting the arenas instead (MALLOC_ARENA_MAX) works only from the environment:
/// glibc fixes its limit when it makes its ninth arena, which the runtime's own threads do before any code of ours
/// runs. glibc only; another C library keeps its own ways.
/// </summary>
public static class NativeHeap
{
    /// <summary>How long after a render the trim runs; renders meanwhile share it.</summary>
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(5);

    /// <summary>How often, and how many times, a trim waits for the renders in progress to finish before it runs anyway.</summary>
    private static readonly TimeSpan IdleWait = TimeSpan.FromMilliseconds(50);
    private const int IdleChecks = 20;

    private static int _scheduled;
    private static bool _unsupported = !OperatingSystem.IsLinux();

    /// <summary>Schedules a trim unless one is pending.</summary>
    public static void TrimSoon()
    {
        if (Volatile.Read(ref _unsupported) || Interlocked.Exchange(ref _scheduled, 1) == 1)
        {
            return;
        }

        _ = TrimLaterAsync();
    }

    private static async Task TrimLaterAsync()
    {
        await Task.Delay(Delay);
        // malloc_trim holds each arena's lock while it goes through it, and a render allocating there would wait for
        // it inside its consumer's transaction: the trim waits (a little) for the renders in progress instead.
        for (var i = 0; i < IdleChecks && !RenderGate.Idle; i++)
        {
            await Task.Delay(IdleWait);
        }

        // Renders from here on schedule the next trim.
        Volatile.Write(ref _scheduled, 0);
        Trim();
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
