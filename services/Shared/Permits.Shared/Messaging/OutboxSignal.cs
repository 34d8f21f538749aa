namespace Permits.Shared.Messaging;

/// <summary>Wakes the service's outbox relay right after a commit, so messages leave at once instead of at the next poll.</summary>
public sealed class OutboxSignal<TService> where TService : IServiceModule
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: the relay will see this message in the same pass.
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _signal.WaitAsync(timeout, cancellationToken);
}
