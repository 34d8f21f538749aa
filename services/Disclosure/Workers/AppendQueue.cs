using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Permits.Contracts.Disclosure;
using Permits.Disclosure.Features;
using Permits.Shared.Data;

namespace Permits.Disclosure.Workers;

/// <summary>
/// Stages the records the consumer hands over and appends them a batch at a time: one transaction (one lock of the
/// chain head, one commit) for as many records as have arrived while the last batch committed, up to
/// <see cref="BatchSize"/> (<c>Disclosure:AppendBatchSize</c>). The consumer's call for each record returns only once
/// its batch has committed, so a message is acknowledged only when its record is durable, and a failed batch fails (and
/// redelivers) every message in it; record ids already in the log are skipped, so a redelivery changes nothing.
/// <para>
/// Order: the broker numbers deliveries (RabbitMQ's delivery tag, 1, 2, 3, … per channel), but the consumer runs many
/// messages at once and they may reach this queue slightly out of that order. So a batch is the run of consecutive
/// numbers from the next expected one; when the next expected number has not arrived yet it is waited for, up to
/// <see cref="GapWait"/> (it is normally microseconds behind; a message that never comes, e.g. one that failed to
/// deserialize, costs that wait once). Within a batch, <see cref="AppendRecords.InCaseOrder"/> keeps each case's steps
/// in the order they occurred. Transports that do not number deliveries are taken in arrival order.
/// </para>
/// <para>
/// Not a polling loop (so not a <see cref="Permits.Shared.Hosting.PollingWorker"/>): it sleeps until a record is
/// handed over, and waits only for a missing delivery number, never to look for work.
/// </para>
/// </summary>
public sealed partial class AppendQueue(
    ServiceDatabase<DisclosureModule> database, AppendRecords append, IOptions<DisclosureOptions> options,
    ILogger<AppendQueue> logger) : BackgroundService
{
    public const int BatchSize = 200;

    public static readonly TimeSpan GapWait = TimeSpan.FromMilliseconds(100);

    private readonly Lock _gate = new();
    private readonly SortedSet<Pending> _pending = new(Pending.Order);
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
    });

    private readonly int _batchSize = Math.Clamp(options.Value.AppendBatchSize, 1, BatchSize);
    private ulong _next = 1;
    private long _arrivals;
    private ulong _unnumbered;
    private long? _gapSince;

    /// <summary>Completes when the record is in the log (or was already); throws when its batch failed.</summary>
    /// <param name="sequence">The transport's delivery number, when it has one.</param>
    public Task AppendAsync(DisclosureRecorded record, ulong? sequence, CancellationToken cancellationToken)
    {
        Pending pending;
        lock (_gate)
        {
            pending = new Pending(record, sequence ?? ++_unnumbered, ++_arrivals);
            _pending.Add(pending);
        }

        _signal.Writer.TryWrite(true);
        return pending.Completion.Task.WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _signal.Reader.ReadAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            while (true)
            {
                var (batch, wait) = Take(Environment.TickCount64);
                if (batch.Count > 0)
                {
                    await WriteAsync(batch);
                }
                else if (wait > TimeSpan.Zero)
                {
                    try
                    {
                        await Task.Delay(wait, stoppingToken);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }
                else
                {
                    break;
                }
            }
        }
    }

    /// <summary>The next batch to write, or how long to wait for the next expected delivery (both empty: nothing to do).</summary>
    private (List<Pending> Batch, TimeSpan Wait) Take(long now)
    {
        lock (_gate)
        {
            if (_pending.Count == 0)
            {
                _gapSince = null;
                return ([], TimeSpan.Zero);
            }

            var first = _pending.Min!;
            if (first.Sequence > _next)
            {
                _gapSince ??= now;
                var waited = TimeSpan.FromMilliseconds(now - _gapSince.Value);
                if (waited < GapWait)
                {
                    return ([], GapWait - waited);
                }
            }

            // Numbers below the expected one: a new channel (its numbers start again at 1) or a retried message.
            _gapSince = null;
            var expected = first.Sequence;
            var batch = new List<Pending>();
            foreach (var pending in _pending)
            {
                if (batch.Count == _batchSize || pending.Sequence > expected)
                {
                    break;
                }

                batch.Add(pending);
                expected = pending.Sequence + 1;
            }

            foreach (var pending in batch)
            {
                _pending.Remove(pending);
            }

            _next = expected;
            return (batch, TimeSpan.Zero);
        }
    }

    private async Task WriteAsync(List<Pending> batch)
    {
        try
        {
            // Not cancelled by shutdown: a batch that has begun is finished, so its messages can be acknowledged.
            await using var session = await database.BeginAsync(CancellationToken.None);
            await append.AppendAsync(session, batch.Select(p => p.Record).ToList());
            await session.CommitAsync(CancellationToken.None);
            append.Committed();
            foreach (var pending in batch)
            {
                pending.Completion.TrySetResult();
            }
        }
        catch (Exception ex)
        {
            LogBatchFailed(logger, ex, batch.Count);
            foreach (var pending in batch)
            {
                pending.Completion.TrySetException(ex);
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "Appending a batch of {Count} disclosure records failed; its messages will be retried")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count);

    private sealed class Pending(DisclosureRecorded record, ulong sequence, long arrival)
    {
        public static readonly IComparer<Pending> Order = Comparer<Pending>.Create((a, b) =>
            a.Sequence != b.Sequence ? a.Sequence.CompareTo(b.Sequence) : a.Arrival.CompareTo(b.Arrival));

        public DisclosureRecorded Record { get; } = record;

        public ulong Sequence { get; } = sequence;

        public long Arrival { get; } = arrival;

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
