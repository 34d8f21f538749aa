using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Permits.Shared.Hosting;

namespace Permits.Shared.Tests;

/// <summary>The one polling loop: a failed pass is retried, a pass asking for no pause runs the next at once, stop ends it.</summary>
public sealed class When_a_polling_worker_runs
{
    [Fact]
    public async Task Should_try_again_after_a_failed_pass_and_stop_when_asked()
    {
        var worker = new ScriptedWorker(
            () => throw new InvalidOperationException("database away"),
            () => TimeSpan.Zero,
            () => TimeSpan.FromHours(1));

        await worker.StartAsync(CancellationToken.None);
        var passes = new List<int>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (passes.Count < 3)
        {
            passes.Add(await worker.Passes.Reader.ReadAsync(timeout.Token));
        }

        await worker.StopAsync(CancellationToken.None);

        Assert.Equal([1, 2, 3], passes);
        Assert.True(worker.ExecuteTask!.IsCompletedSuccessfully);
        Assert.False(worker.Passes.Reader.TryRead(out _));
    }

    [Fact]
    public async Task Should_not_run_when_disabled()
    {
        var worker = new ScriptedWorker(() => TimeSpan.Zero) { On = false };

        await worker.StartAsync(CancellationToken.None);
        await worker.ExecuteTask!;

        Assert.False(worker.Passes.Reader.TryRead(out _));
    }

    [Fact]
    public async Task Should_pause_longer_while_idle_and_at_the_interval_again_after_work()
    {
        var worker = new IdleWorker([false, false, false, false, false, true, false]);

        await worker.StartAsync(CancellationToken.None);
        var pauses = new List<double>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (pauses.Count < 7)
        {
            pauses.Add((await worker.Pauses.Reader.ReadAsync(timeout.Token)).TotalMilliseconds);
        }

        await worker.StopAsync(CancellationToken.None);

        // Doubled for each idle pass in a row up to eight times the interval; a pass with work resets it.
        Assert.Equal([1, 2, 4, 8, 8, 1, 1], pauses);
    }

    private sealed class IdleWorker(bool[] busy) : PollingWorker(TimeProvider.System, NullLogger.Instance)
    {
        private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(1);
        private int _pass;

        public Channel<TimeSpan> Pauses { get; } = Channel.CreateUnbounded<TimeSpan>();

        protected override Task<TimeSpan> PassAsync(CancellationToken cancellationToken)
        {
            var pass = _pass++;
            var pause = pass < busy.Length && busy[pass] ? Poll : pass < busy.Length ? Idle(Poll) : TimeSpan.FromHours(1);
            Pauses.Writer.TryWrite(pause);
            return Task.FromResult(pause);
        }
    }

    private sealed class ScriptedWorker(params Func<TimeSpan>[] script)
        : PollingWorker(TimeProvider.System, NullLogger.Instance)
    {
        private int _pass;

        public bool On { get; init; } = true;

        public Channel<int> Passes { get; } = Channel.CreateUnbounded<int>();

        protected override bool Enabled => On;

        protected override Task<TimeSpan> PassAsync(CancellationToken cancellationToken)
        {
            var pass = Interlocked.Increment(ref _pass);
            Passes.Writer.TryWrite(pass);
            return Task.FromResult(script[Math.Min(pass, script.Length) - 1]());
        }
    }
}
