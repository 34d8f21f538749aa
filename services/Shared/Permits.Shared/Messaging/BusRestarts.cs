using System.Runtime.CompilerServices;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Permits.Shared.Messaging;

/// <summary>
/// Restarts a bus whose publishes the broker no longer confirms. After the broker's connection dropped under publishes
/// awaiting their confirmation, RabbitMQ.Client 7.2 (rabbitmq-dotnet-client #1930) can leave the bus's publishing
/// channel open but dead: every later publish on it waits for a confirmation that never comes, while consumers carry
/// on. Only a new connection helps, and stopping and starting the bus makes one. Consumers stop meanwhile (a second or
/// two): messages they had not acknowledged are delivered again, and their inboxes drop what was already done.
/// One restart at a time per bus, and none within the quiet time of the last: every relay of a process shares the bus,
/// and each would otherwise restart it for the same fault.
/// </summary>
public static partial class BusRestarts
{
    private static readonly ConditionalWeakTable<IBus, State> States = new();

    /// <summary>
    /// Restarts the bus if it says it is connected (its endpoints healthy) although a publish went unconfirmed: while the
    /// broker is away the bus reconnects by itself, and a restart would only stop its consumers for nothing. True if
    /// this call restarted it; false if it was not connected, another call restarted it lately, or it cannot be.
    /// A start that failed (the broker went away meanwhile) is tried again by the next call, whatever the quiet time.
    /// </summary>
    /// <param name="stopping">The caller's stopping token: a host that is stopping stops its bus itself, so nothing starts it again.</param>
    public static async Task<bool> RestartIfConnectedAsync(
        IBus bus, TimeSpan quiet, TimeProvider time, ILogger logger, string reason, CancellationToken stopping)
    {
        if (bus is not IBusControl control || stopping.IsCancellationRequested)
        {
            return false;
        }

        var state = States.GetOrCreateValue(bus);
        await state.Gate.WaitAsync(stopping);
        try
        {
            if (!state.Stopped)
            {
                if ((state.LastRestart is { } last && time.GetUtcNow() - last < quiet)
                    || control.CheckHealth().Status != BusHealthStatus.Healthy)
                {
                    return false;
                }

                LogRestarting(logger, reason);
                state.Stopped = true;
                using var stoppingBus = new CancellationTokenSource(StopTimeout);
                try
                {
                    await control.StopAsync(stoppingBus.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or TimeoutException)
                {
                    // Something on the dead connection did not stop in time; starting makes a new connection regardless.
                    LogStopSlow(logger, e.Message);
                }
            }

            stopping.ThrowIfCancellationRequested();
            using (var starting = CancellationTokenSource.CreateLinkedTokenSource(stopping))
            {
                starting.CancelAfter(StartTimeout);
                await control.StartAsync(starting.Token);
            }

            state.Stopped = false;
            state.LastRestart = time.GetUtcNow();
            MessagingMetrics.BusRestarts.Add(1);
            LogRestarted(logger);
            return true;
        }
        finally
        {
            state.Gate.Release();
        }
    }

    /// <summary>A stop waits for publishes in flight, and the dead ones never end: it is given this long.</summary>
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    private sealed class State
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public DateTimeOffset? LastRestart { get; set; }

        /// <summary>Stopped by a restart whose start has not succeeded yet.</summary>
        public bool Stopped { get; set; }
    }

    [LoggerMessage(LogLevel.Warning, "Restarting the bus: {Reason}")]
    private static partial void LogRestarting(ILogger logger, string reason);

    [LoggerMessage(LogLevel.Warning, "The bus did not stop in time ({Error}); starting it again anyway")]
    private static partial void LogStopSlow(ILogger logger, string error);

    [LoggerMessage(LogLevel.Information, "The bus was restarted")]
    private static partial void LogRestarted(ILogger logger);
}
