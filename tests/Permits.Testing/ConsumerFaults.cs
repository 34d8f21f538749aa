using System.Collections.Concurrent;
using MassTransit;

namespace Permits.Testing;

/// <summary>
/// Watches a host's bus for consumers that failed (after their retries): a test waiting for what a message should
/// have caused fails at once with the consumer's own exception, instead of timing out with nothing to go on.
/// </summary>
public sealed class ConsumerFaults : IConsumeObserver
{
    private readonly ConcurrentQueue<ConsumerFaultException> _faults = new();
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _awaited = new();

    /// <summary>Throws the first consumer fault seen so far, if any.</summary>
    public void ThrowIfAny()
    {
        if (_faults.TryPeek(out var fault))
        {
            throw fault;
        }
    }

    /// <summary>Completes once the message with this id has been consumed, or fails with its consumer's fault.</summary>
    public Task ConsumedAsync(Guid messageId) =>
        _awaited.GetOrAdd(messageId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class
    {
        if (context.MessageId is { } id && _awaited.TryGetValue(id, out var awaited))
        {
            awaited.TrySetResult();
        }

        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class
    {
        var fault = new ConsumerFaultException(typeof(T), context.MessageId, exception);
        _faults.Enqueue(fault);
        if (context.MessageId is { } id && _awaited.TryGetValue(id, out var awaited))
        {
            awaited.TrySetException(fault);
        }

        return Task.CompletedTask;
    }
}

/// <summary>A consumer of the host under test failed on a message; the inner exception is the consumer's.</summary>
public sealed class ConsumerFaultException(Type messageType, Guid? messageId, Exception consumerError)
    : Exception($"The consumer of {messageType.Name} (message {messageId}) failed: {consumerError.Message}", consumerError);
