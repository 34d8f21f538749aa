using System.Diagnostics;
using Permits.Contracts.Intake.V1;
using Permits.LocalInfra;

namespace Permits.Testing;

/// <summary>
/// Journeys through the distributed system while, one after another, every process of the system (each service and
/// the Portal) is killed with SIGKILL and started again, RabbitMQ's application is stopped and started, and PostgreSQL is stopped at once (no checkpoint)
/// and started. Journeys keep starting until every fault has happened and at least the number asked for has run.
/// Afterwards every licence must be delivered exactly once with every guarantee intact
/// (<see cref="JourneyAssertions.Should_have_delivered_every_licence_once"/>). The end-to-end tests run a short
/// form, <c>./build.sh bench faults</c> a long one. The fake courier and SMS gateway stand for third parties and are
/// not killed: they keep their bookings in memory, so a kill made the fake courier forget a parcel it had picked up
/// (a real courier's restart does not lose parcels); their outages and lost answers are the courier fault tests' part.
/// </summary>
public static class FaultRun
{
    private const int Concurrency = 6;

    /// <summary>Between two faults: time for the system to take up work again, and for journeys to move on.</summary>
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(1.5);

    public static async Task RunAsync(string purpose, string configuration, int journeys, Action<string> log)
    {
        var clock = Stopwatch.StartNew();
        void Log(string line) => log($"{clock.Elapsed.TotalSeconds,6:F1} s  {line}");
        await using var system = await JourneySystem.StartAsync(purpose, configuration, TimeSpan.FromMinutes(5));
        var gate = new CallGate();
        system.Journey.Gate = gate;
        Log("system up");

        var faultsDone = false;
        var faults = Task.Run(async () =>
        {
            try
            {
                await FaultsAsync(system, gate, Log);
            }
            finally
            {
                faultsDone = true;
            }
        });

        // Journeys until the faults are through and at least `journeys` have started (bounded: ten times that).
        var delivered = new System.Collections.Concurrent.ConcurrentBag<Application>();
        var next = -1;
        var workers = Enumerable.Range(0, Concurrency).Select(_ => Task.Run(async () =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < journeys * 10 && (index < journeys || !Volatile.Read(ref faultsDone)))
            {
                delivered.Add(await system.Journey.TravelAsync(JourneySystem.ApplicationFor(index)));
            }
        })).ToList();
        try
        {
            await faults;
            await Task.WhenAll(workers);
            Log($"{delivered.Count} journeys delivered; checking the outcome");

            await JourneyAssertions.Should_have_delivered_every_licence_once(system.Journey, [.. delivered]);
        }
        catch (Exception e)
        {
            // The services' logs stay on the machine that ran this: what they say about the failure goes with it.
            var failures = workers.Where(w => w.IsFaulted).SelectMany(w => w.Exception!.InnerExceptions).Append(e);
            log(await SystemDiagnosis.DescribeAsync(system, SystemDiagnosis.ApplicationsNamedIn(failures)));
            throw;
        }

        Log($"verified: {delivered.Count} delivered, licence numbers unique and gap-free, each application's " +
            $"{LicenceJourney.HappyPathKinds.Length} disclosure records exactly once, chain intact");
    }

    private static async Task FaultsAsync(JourneySystem system, CallGate gate, Action<string> log)
    {
        await Task.Delay(Pause);
        foreach (var service in (string[])[.. DistributedSystem.BackEndServices, DistributedSystem.Portal])
        {
            await gate.HoldAsync(async () =>
            {
                log($"SIGKILL {service}");
                await system.System.RestartAsync(service);
                await system.Journey.ReconnectAsync(system.Journey.Patience);
                log($"{service} healthy again");
            });
            await Task.Delay(Pause);
        }

        // Nothing the public calls do needs the broker (they write to outboxes): they go on meanwhile.
        log("RabbitMQ: stop_app");
        await system.RabbitMq.RestartAppAsync();
        log("RabbitMQ started again");
        await Task.Delay(Pause);

        await gate.HoldAsync(async () =>
        {
            log("PostgreSQL: immediate shutdown");
            await system.Postgres.RestartAsync();
            log("PostgreSQL started again");
        });
        await Task.Delay(Pause);
    }

    /// <summary>Lets journeys' actions through, except while a fault is being dealt: then it waits for those under way.</summary>
    private sealed class CallGate : IJourneyGate
    {
        private readonly Lock _lock = new();
        private TaskCompletionSource _open = Opened();
        private int _passing;

        public async Task<T> PassAsync<T>(Func<Task<T>> action)
        {
            while (true)
            {
                Task open;
                lock (_lock)
                {
                    open = _open.Task;
                    if (open.IsCompleted)
                    {
                        _passing++;
                        break;
                    }
                }

                await open;
            }

            try
            {
                return await action();
            }
            finally
            {
                lock (_lock)
                {
                    _passing--;
                }
            }
        }

        public async Task HoldAsync(Func<Task> fault)
        {
            lock (_lock)
            {
                _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            try
            {
                // Actions under way finish first (bounded by their own call deadlines and the journey's patience).
                for (var i = 0; i < 3000 && Volatile.Read(ref _passing) > 0; i++)
                {
                    await Task.Delay(20);
                }

                await fault();
            }
            finally
            {
                _open.TrySetResult();
            }
        }

        private static TaskCompletionSource Opened()
        {
            var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            open.SetResult();
            return open;
        }
    }
}
