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
