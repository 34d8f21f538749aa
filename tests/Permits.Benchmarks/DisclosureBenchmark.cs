using System.Diagnostics;
using Dapper;
using Grpc.Core;
using Permits.Contracts.Disclosure;
using Permits.Contracts.Disclosure.V1;
using Permits.Disclosure;
using Permits.Shared.Domain;
using Permits.Testing;

namespace Permits.Benchmarks;

/// <summary>
/// The Disclosure service on PostgreSQL and RabbitMQ: how fast records are appended from the bus, how fast a platform
/// pulls the change feed (gRPC, by page size), how fast the bulk export streams (CSV, JSON lines) and the chain verifies.
/// </summary>
public static class DisclosureBenchmark
{
    private const string Client = "bench-platform";

    /// <param name="appendBatchSize">Disclosure:AppendBatchSize (1: a transaction per record, as before batching).</param>
    /// <param name="appendOnly">Measure only the append, not the reads.</param>
    public static async Task RunAsync(int records, int appendBatchSize, bool appendOnly)
    {
        await using var host = await BenchmarkHost.StartAsync(appendBatchSize);
        Console.WriteLine($"Disclosure benchmark: {records} records, appended ≤{appendBatchSize} a transaction, " +
            $"PostgreSQL + RabbitMQ on loopback, {Environment.ProcessorCount} CPUs (load average {LoadAverage()})");
        var county = new County("330424", "海盐县", "33", "海盐县烟草专卖局", "11330424002583123X", "盐烟专许", "海盐县");
        var day = new DateTimeOffset(2026, 6, 1, 1, 0, 0, TimeSpan.Zero);
        var bus = host.Bus;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, records), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
        {
            var id = DeterministicGuid.Create("bench", i / 6);
            await bus.Publish(Disclosures.For($"{DisclosureKinds.ApplicationSubmitted}-{i % 6}", id, $"YC{i / 6:D8}", county,
                day.AddSeconds(i), $"海盐县烟草专卖局 第 {i} 条", new Dictionary<string, string> { ["XK_XDR_MC"] = $"便利店{i}" }), ct);
        });
        var published = clock.Elapsed;
        long storedWhenPublished;
        await using (var connection = host.Open())
        {
            storedWhenPublished = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM disclosure_records");
            for (var waited = 0; waited < 3600 && await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM disclosure_records") < records; waited++)
            {
                await Task.Delay(500);
            }
        }

        var stored = clock.Elapsed;
        Print("publish to RabbitMQ", records, published);
        Print($"append (bus → log, ≤{appendBatchSize} a transaction)", records, stored);
        // Once publishing is over, the queue is full: the append alone sets the pace.
        Print("  of which after publishing ended (queue full)", records - storedWhenPublished, stored - published);
        if (appendOnly)
        {
            return;
        }

        var channel = host.Channel;
        var openData = new OpenData.OpenDataClient(channel);
        var credentials = new Metadata { { "Authorization", "Bearer " + Tokens.Platform("33", Client) } };
        // What the gate (token, province, shared rate and quota counted in the database) costs a call: one record a call.
        clock.Restart();
        const int calls = 500;
        for (var i = 0; i < calls; i++)
        {
            await openData.ListChangesAsync(new ListRecordsRequest { AfterPosition = i, PageSize = 1 }, credentials);
        }

        Print("open-data calls, gRPC, page 1 (1 record a call)", calls, clock.Elapsed);

        // The same calls on the public log, which has no gate: the difference is what the gate costs.
        var publicLog = new DisclosureLog.DisclosureLogClient(channel);
        clock.Restart();
        for (var i = 0; i < calls; i++)
        {
            await publicLog.ListRecordsAsync(new ListRecordsRequest { AfterPosition = i, PageSize = 1 });
        }

        Print("public log calls, gRPC, page 1 (no token, no limits)", calls, clock.Elapsed);

        foreach (var pageSize in new[] { 50, 200, 1000 })
        {
            clock.Restart();
            long after = 0, seen = 0;
            while (seen < records)
            {
                var page = await openData.ListChangesAsync(new ListRecordsRequest { AfterPosition = after, PageSize = pageSize }, credentials);
                if (page.Records.Count == 0)
                {
                    break;
                }

                seen += page.Records.Count;
                after = page.NextPosition;
            }

            Print($"feed pull, gRPC, page {pageSize}", seen, clock.Elapsed);
        }

        clock.Restart();
        long publicAfter = 0, publicSeen = 0;
        while (publicSeen < records)
        {
            var page = await publicLog.ListRecordsAsync(new ListRecordsRequest { AfterPosition = publicAfter, PageSize = 50 });
            if (page.Records.Count == 0)
            {
                break;
            }

            publicSeen += page.Records.Count;
            publicAfter = page.NextPosition;
        }

        Print("public log pull, gRPC, page 50 (no gate)", publicSeen, clock.Elapsed);

        clock.Restart();
        var pullers = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            long after = 0, seen = 0;
            while (seen < records)
            {
                var page = await openData.ListChangesAsync(new ListRecordsRequest { AfterPosition = after, PageSize = 1000 }, credentials);
                if (page.Records.Count == 0)
                {
                    break;
                }

                seen += page.Records.Count;
                after = page.NextPosition;
            }

            return seen;
        }));
        Print("feed pull, 4 clients at once, page 1000 (total)", pullers.Sum(), clock.Elapsed);

        using var http = new HttpClient { BaseAddress = new Uri(host.HttpUrl), Timeout = TimeSpan.FromMinutes(10) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", Tokens.Platform("33", Client));
        foreach (var format in new[] { "csv", "jsonl" })
        {
            clock.Restart();
            await using var stream = await http.GetStreamAsync($"/open-data/v1/export?from_date=2026-05-01&to_date=2026-12-31&format={format}");
            var buffer = new byte[81920];
            long bytes = 0, lines = 0;
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                bytes += read;
                lines += buffer.AsSpan(0, read).Count((byte)'\n');
            }

            var rows = format == "csv" ? lines - 1 : lines;
            Print($"export {format} (REST, streamed)", rows, clock.Elapsed, $", {bytes / 1048576.0 / clock.Elapsed.TotalSeconds:F1} MB/s");
        }

        clock.Restart();
        var log = new DisclosureLog.DisclosureLogClient(channel);
        var verified = await log.VerifyChainAsync(new VerifyChainRequest());
        Print($"verify chain ({(verified.Intact ? "intact" : "BROKEN: " + verified.Reason)})", verified.RecordsChecked, clock.Elapsed);
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    private static void Print(string what, long count, TimeSpan elapsed, string extra = "") =>
        Console.WriteLine($"  {what,-48} {count,8} records in {elapsed.TotalSeconds,7:F2} s = {count / Math.Max(elapsed.TotalSeconds, 1e-6),10:F0} records/s{extra}");

    /// <summary>The Disclosure service on PostgreSQL and RabbitMQ, trusting the test key the benchmark mints tokens with.</summary>
    private sealed class BenchmarkHost : ServiceHost
    {
        private BenchmarkHost()
            : base("disclosure_bench")
        {
        }

        public static async Task<BenchmarkHost> StartAsync(int appendBatchSize)
        {
            var host = new BenchmarkHost();
            await host.StartAsync(new ServiceSetup
            {
                RabbitMq = true,
                Relay = true,
                Settings =
                {
                    [$"Disclosure:Platforms:Clients:{Client}:Limits:RequestsPerSecond"] = "1000000",
                    [$"Disclosure:Platforms:Clients:{Client}:Limits:Burst"] = "1000000",
                    [$"Disclosure:Platforms:Clients:{Client}:Limits:Quota"] = "100000000",
                    ["Disclosure:AppendBatchSize"] = appendBatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
                },
                Add = builder => builder.AddDisclosureService(),
                Map = app => app.MapDisclosureService(),
            });
            return host;
        }
    }
}
