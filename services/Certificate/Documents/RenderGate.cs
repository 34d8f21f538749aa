namespace Permits.Certificate.Documents;

/// <summary>
/// At most one document rendered and signed per processor at a time. Rendering is CPU work done on the thread pool;
/// a dozen consumers rendering at once on two cores only share them more thinly, and every transaction waiting for a
/// turn at the CPU holds its locks meanwhile (the journey benchmark saw the county's counters held for tens of
/// milliseconds). Waiting here holds no thread and no lock of the database beyond the consumer's own transaction.
/// </summary>
public static class RenderGate
{
    private static readonly SemaphoreSlim Turns = new(Environment.ProcessorCount, Environment.ProcessorCount);

    /// <summary>Whether no document is being rendered through the gate (a licence face for download does not pass it).</summary>
    public static bool Idle => Turns.CurrentCount == Environment.ProcessorCount;

    public static async Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken = default)
    {
        await Turns.WaitAsync(cancellationToken);
        try
        {
            return work();
        }
        finally
        {
            Turns.Release();
            NativeHeap.TrimSoon();
        }
    }
}
