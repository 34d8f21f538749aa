using System.Collections.Concurrent;
using System.Diagnostics;
using Dapper;
using Permits.LocalInfra;
using Permits.Testing;

namespace Permits.Benchmarks;

/// <summary>
/// New-licence journeys through the distributed system (every service its own process, PostgreSQL and RabbitMQ on
/// loopback), driven through the public calls as the end-to-end tests drive them: the throughput, the latencies, what
/// each component spent per licence (CPU, commits, messages, log lines), each service's memory, and the broker's own
/// ceiling in the same run. Then the outcome is checked as the end-to-end tests check it. Prints; asserts nothing on time.
/// </summary>
public static class JourneyBenchmark
{
    /// <summary>
    /// Journeys before the measured ones, at the run's concurrency: enough calls of every hot method for the runtime
    /// to finish compiling them at its optimising tier, which otherwise (perf showed the tiered-compilation thread at a
    /// third of Intake's and Review's CPU in a 150-licence run) is counted as per-licence work although a process pays
    /// it once.
    /// </summary>
    private const int WarmUpRounds = 2;

    /// <summary>How many of the statements that took PostgreSQL's time the run lists.</summary>
    private const int StatementsShown = 30;

    /// <param name="perSecond">Journeys started a second (an open loop, at most <paramref name="concurrency"/> at once), or null for as many as the concurrency allows.</param>
    public static async Task RunAsync(int count, int concurrency, double? perSecond = null)
    {
        var steps = new ConcurrentDictionary<string, ConcurrentBag<double>>();
        var pace = perSecond is { } rate ? $"started at {rate:0.##} a second, at most {concurrency} at once" : $"at concurrency {concurrency}";
        Console.WriteLine($"Journey benchmark: {count} new licences {pace}, distributed system on loopback, " +
            $"{Environment.ProcessorCount} CPUs (load average {LoadAverage()})");
        await using var system = await JourneySystem.StartAsync("bench-journey", "Release", TimeSpan.FromMinutes(10),
            (step, elapsed) => steps.GetOrAdd(step, _ => []).Add(elapsed.TotalMilliseconds));

        // JIT, connection pools, officers' tokens: not counted.
        var warmUp = WarmUpRounds * concurrency;
        var warm = await system.TravelAsync(warmUp, concurrency);
        await QuietAsync(system);
        steps.Clear();
        var before = await Snapshot.TakeAsync(system);
        await StatementStatistics.ResetAsync(system);

        var clock = Stopwatch.StartNew();
        var delivered = await system.TravelAsync(count, concurrency, first: warmUp, perSecond: perSecond);
        var elapsed = clock.Elapsed;
        await QuietAsync(system);
        var after = await Snapshot.TakeAsync(system);

        Console.WriteLine();
        Console.WriteLine($"  {count} licences delivered in {elapsed.TotalSeconds:F1} s = {count / elapsed.TotalSeconds:F1} licences/s " +
            $"(first submit → last Delivered seen by the driver)");
        await PrintLatenciesAsync(system, steps, delivered.Select(a => a.ApplicationId).ToHashSet());
        var messages = PrintPerLicence(before, after, count);
        PrintMessages(before, after, count);
        await StatementStatistics.PrintAsync(system, count, StatementsShown);

        await PrintIdleAsync(system, count / elapsed.TotalSeconds);
        var ceiling = await BrokerCeiling.MessagesPerSecondAsync(system.RabbitMq.AmqpUri(), 20_000);
        var pipeline = messages / elapsed.TotalSeconds;
        Console.WriteLine($"  broker ceiling (RabbitMQ.Client, durable queue, persistent 600-byte messages, confirms, consumed): " +
            $"{ceiling:F0} msg/s; the pipeline carried {pipeline:F0} msg/s = {100 * pipeline / ceiling:F1} % of it");

        await JourneyAssertions.Should_have_delivered_every_licence_once(system.Journey, [.. warm, .. delivered]);
        Console.WriteLine($"  verified: {count + warmUp} delivered, licence numbers unique and gap-free, each application's " +
            $"{LicenceJourney.HappyPathKinds.Length} disclosure records exactly once, chain intact");
    }

    /// <summary>Waits (bounded) until no outbox holds an unsent message, then for idle backends to report their statistics.</summary>
    private static async Task QuietAsync(JourneySystem system)
    {
        await Eventually.TrueAsync(async () =>
        {
            foreach (var service in JourneySystem.Databases)
            {
                await using var connection = system.OpenDatabase(service);
                if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox_messages WHERE sent_at IS NULL") > 0)
                {
                    return false;
                }
            }

            return true;
        }, TimeSpan.FromMinutes(5), "every outbox to be relayed");
    }

    private static async Task PrintLatenciesAsync(JourneySystem system, ConcurrentDictionary<string, ConcurrentBag<double>> steps, HashSet<string> measured)
    {
        Console.WriteLine($"  {"latency (ms)",-34} {"p50",8} {"p90",8} {"p99",8} {"max",8}");
        foreach (var step in new[] { "submit", "accept", "inspect", "opinion", "approve" })
        {
            PrintPercentiles($"{step} call", steps.GetValueOrDefault(step)?.ToList() ?? []);
        }

        // When Intake heard of each step, from its history: the licence's way from submission through approval to delivery.
        await using var intake = system.OpenDatabase(DistributedSystem.Intake);
        var history = (await intake.QueryAsync<(Guid Id, DateTimeOffset Submitted, string Status, DateTimeOffset At)>(
            """
            SELECT a.id AS Id, a.submitted_at AS Submitted, h.status AS Status, h.at AS At
            FROM applications a JOIN application_history h ON h.application_id = a.id
            WHERE h.status IN ('Approved', 'CertificateIssued', 'Delivered')
            """)).Where(h => measured.Contains(h.Id.ToString())).ToList();
        var byApplication = history.GroupBy(h => h.Id).ToDictionary(g => g.Key, g => g.ToDictionary(h => h.Status, h => h));
        List<double> Between(Func<Dictionary<string, (Guid, DateTimeOffset Submitted, string, DateTimeOffset At)>, DateTimeOffset?> from, string to) =>
            byApplication.Values.Where(a => a.ContainsKey(to) && from(a) is not null)
                .Select(a => (a[to].At - from(a)!.Value).TotalMilliseconds).ToList();
        PrintPercentiles("submit → issued", Between(a => a.Values.First().Submitted, "CertificateIssued"));
        PrintPercentiles("submit → delivered", Between(a => a.Values.First().Submitted, "Delivered"));
        PrintPercentiles("approved → issued (as Intake heard)", Between(a => a.TryGetValue("Approved", out var h) ? h.At : null, "CertificateIssued"));

        // The rates the latencies above were measured at (first to last, as Intake recorded them).
        double Rate(IEnumerable<DateTimeOffset> times)
        {
            var all = times.Order().ToList();
            return all.Count < 2 ? 0 : (all.Count - 1) / (all[^1] - all[0]).TotalSeconds;
        }

        Console.WriteLine($"  at {Rate(byApplication.Values.Select(a => a.Values.First().Submitted)):F1} submits/s, " +
            $"{Rate(byApplication.Values.Where(a => a.ContainsKey("Approved")).Select(a => a["Approved"].At)):F1} approvals/s, " +
            $"{Rate(byApplication.Values.Where(a => a.ContainsKey("Delivered")).Select(a => a["Delivered"].At)):F1} deliveries/s");
    }

    private static void PrintPercentiles(string what, List<double> values)
    {
        if (values.Count == 0)
        {
            Console.WriteLine($"  {what,-34} (none)");
            return;
        }

        values.Sort();
        double At(double p) => values[Math.Min(values.Count - 1, (int)Math.Ceiling(p * values.Count) - 1)];
        Console.WriteLine($"  {what,-34} {At(0.5),8:F0} {At(0.9),8:F0} {At(0.99),8:F0} {values[^1],8:F0}");
    }

    /// <returns>Messages the services published during the run.</returns>
    private static long PrintPerLicence(Snapshot before, Snapshot after, int count)
    {
        Console.WriteLine($"  {"per licence",-14} {"CPU ms",8} {"commits",8} {"rollbk",8} {"msgs out",8} {"msgs in",8} {"log lines",9} {"RSS MB",7} {"peak MB",7}");
        var total = new double[6];
        foreach (var component in after.Cpu.Keys)
        {
            double Per(IReadOnlyDictionary<string, long> a, IReadOnlyDictionary<string, long> b) =>
                (double)(a.GetValueOrDefault(component) - b.GetValueOrDefault(component)) / count;
            var row = new[]
            {
                (after.Cpu[component] - before.Cpu.GetValueOrDefault(component)) / count,
                Per(after.Commits, before.Commits), Per(after.Rollbacks, before.Rollbacks),
                Per(after.Published, before.Published), Per(after.Consumed, before.Consumed), Per(after.LogLines, before.LogLines),
            };
            var (rss, peak) = after.Memory.GetValueOrDefault(component);
            Console.WriteLine($"  {component,-14} {row[0],8:F1} {row[1],8:F1} {row[2],8:F1} {row[3],8:F1} {row[4],8:F1} {row[5],9:F1} " +
                (rss > 0 ? $"{rss,7:F0} {peak,7:F0}" : ""));
            for (var i = 0; i < total.Length; i++)
            {
                total[i] += row[i];
            }
        }

        Console.WriteLine($"  {"whole system",-14} {total[0],8:F1} {total[1],8:F1} {total[2],8:F1} {total[3],8:F1} {total[4],8:F1} {total[5],9:F1}");
        return after.Published.Values.Sum() - before.Published.Values.Sum();
    }

    /// <summary>
    /// What the system spends doing nothing: CPU a second per component over a quiet spell after the run (relays,
    /// schedulers, pools, the broker's and the database's own upkeep), and what that comes to per licence at the run's
    /// rate: part of every figure above, paid whether or not licences flow.
    /// </summary>
    private static async Task PrintIdleAsync(JourneySystem system, double licencesPerSecond)
    {
        var components = DistributedSystem.AllServices.ToDictionary(s => s, s => system.System.ProcessOf(s)?.ProcessId);
        components["PostgreSQL"] = system.Postgres.ProcessId;
        components["RabbitMQ"] = system.RabbitMq.ProcessId;
        var before = components.ToDictionary(c => c.Key, c => ProcessMeter.CpuMilliseconds(c.Value));
        var clock = Stopwatch.StartNew();
        await Task.Delay(IdleSpell);
        var seconds = clock.Elapsed.TotalSeconds;
        var perSecond = components.ToDictionary(c => c.Key, c => (ProcessMeter.CpuMilliseconds(c.Value) - before[c.Key]) / seconds);
        var total = perSecond.Values.Sum();
        Console.WriteLine($"  idle for {IdleSpell.TotalSeconds:F0} s after the run: {total:F1} ms of CPU a second " +
            $"(= {total / licencesPerSecond:F1} ms a licence at this run's rate); " +
            string.Join(", ", perSecond.Where(p => p.Value >= 0.05).OrderByDescending(p => p.Value).Select(p => $"{p.Key} {p.Value:F1}")));
    }

    private static readonly TimeSpan IdleSpell = TimeSpan.FromSeconds(20);

    /// <summary>Which messages each service published and which of its consumers took them, per licence.</summary>
    private static void PrintMessages(Snapshot before, Snapshot after, int count)
    {
        static string Line(Dictionary<string, long> a, Dictionary<string, long> b, int count) => string.Join(", ",
            a.Select(p => (p.Key, Per: (double)(p.Value - b.GetValueOrDefault(p.Key)) / count)).Where(p => p.Per >= 0.05)
                .OrderByDescending(p => p.Per).Select(p => $"{p.Key.Replace("urn:message:Permits.Contracts.", "", StringComparison.Ordinal)} {p.Per:F1}"));
        Console.WriteLine("  messages per licence, published by name and consumed by consumer:");
        foreach (var service in after.PublishedByName.Keys.Where(s => after.PublishedByName[s].Count + after.ConsumedBy[s].Count > 0))
        {
            Console.WriteLine($"    {service,-13} out: {Line(after.PublishedByName[service], before.PublishedByName.GetValueOrDefault(service) ?? [], count)}");
            Console.WriteLine($"    {"",-13} in:  {Line(after.ConsumedBy[service], before.ConsumedBy.GetValueOrDefault(service) ?? [], count)}");
        }
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    /// <summary>Counters of every component at one moment: CPU ms, commits and rollbacks, messages out and in, log lines, memory.</summary>
    private sealed record Snapshot(
        Dictionary<string, double> Cpu,
        Dictionary<string, long> Commits,
        Dictionary<string, long> Rollbacks,
        Dictionary<string, long> Published,
        Dictionary<string, long> Consumed,
        Dictionary<string, long> LogLines,
        Dictionary<string, (double Rss, double Peak)> Memory,
        Dictionary<string, Dictionary<string, long>> PublishedByName,
        Dictionary<string, Dictionary<string, long>> ConsumedBy)
    {
        public static async Task<Snapshot> TakeAsync(JourneySystem system)
        {
            var snapshot = new Snapshot([], [], [], [], [], [], [], [], []);
            foreach (var service in DistributedSystem.AllServices)
            {
                var process = system.System.ProcessOf(service);
                snapshot.Cpu[service] = ProcessMeter.CpuMilliseconds(process?.ProcessId);
                snapshot.Memory[service] = ProcessMeter.MemoryMegabytes(process?.ProcessId);
                snapshot.LogLines[service] = process is null ? 0 : File.ReadLines(process.LogFile).LongCount();
            }

            snapshot.Cpu["PostgreSQL"] = ProcessMeter.CpuMilliseconds(system.Postgres.ProcessId);
            snapshot.Cpu["RabbitMQ"] = ProcessMeter.CpuMilliseconds(system.RabbitMq.ProcessId);

            // Statistics reach pg_stat_database when a backend finishes a transaction a second after its last report,
            // or when it has idled for ten: wait that out, so every commit of the run is counted.
            await Task.Delay(TimeSpan.FromSeconds(11));
            foreach (var service in JourneySystem.Databases)
            {
                await using var connection = system.OpenDatabase(service);
                var (commits, rollbacks) = await connection.QuerySingleAsync<(long, long)>(
                    "SELECT xact_commit, xact_rollback FROM pg_stat_database WHERE datname = current_database()");
                snapshot.Commits[service] = commits;
                snapshot.Rollbacks[service] = rollbacks;
                snapshot.Published[service] = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox_messages");
                snapshot.Consumed[service] = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM inbox_messages");
                snapshot.PublishedByName[service] = (await connection.QueryAsync<(string, long)>(
                    "SELECT COALESCE(message_name, message_type), COUNT(*) FROM outbox_messages GROUP BY 1")).ToDictionary(r => r.Item1, r => r.Item2);
                snapshot.ConsumedBy[service] = (await connection.QueryAsync<(string, long)>(
                    "SELECT consumer, COUNT(*) FROM inbox_messages GROUP BY 1")).ToDictionary(r => r.Item1, r => r.Item2);
            }

            return snapshot;
        }
    }
}
