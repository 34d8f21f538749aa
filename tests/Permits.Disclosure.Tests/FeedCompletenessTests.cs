using System.Diagnostics;
using Permits.Contracts.Disclosure.V1;
using Permits.Shared.Domain;
using Xunit.Abstractions;
using Record = Permits.Contracts.Disclosure.V1.Record;

namespace Permits.Disclosure.Tests;

/// <summary>
/// 5,000 cases' records published on a real RabbitMQ virtual host into the service on PostgreSQL, while platform
/// clients pull the change feed concurrently with small pages (three over gRPC, one over REST/JSON).
/// </summary>
public sealed class When_platforms_pull_the_feed_while_5000_cases_are_recorded(ITestOutputHelper output)
{
    private static readonly int Cases = int.TryParse(Environment.GetEnvironmentVariable("DISCLOSURE_TEST_CASES"), out var n) ? n : 5000;
    // Steps per case: the first three of the happy path by default (15,000 records), all six with DISCLOSURE_TEST_STEPS=6.
    private static readonly int Steps = int.TryParse(Environment.GetEnvironmentVariable("DISCLOSURE_TEST_STEPS"), out var s) ? s : 3;
    private static readonly string[] Kinds = Records.HappyPath.Take(Steps).ToArray();
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Should_see_every_record_of_their_province_exactly_once_in_position_order_and_the_chain_verifies()
    {
        await using var host = await DisclosureHost.StartAsync();
        var expected = new Dictionary<string, (string Number, int Step)>();
        var cases = Enumerable.Range(1, Cases).Select(i =>
        {
            var county = i % 10 == 0 ? Records.Beijing : Records.Haiyan;
            var id = DeterministicGuid.Create("feed-test", i);
            var number = $"YC2026{i:D6}";
            var at = new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero).AddSeconds(i);
            var steps = Kinds
                .Select((kind, step) => Records.Step(kind, id, number, county, at.AddMinutes(step), "王小明", $"海盐{i}号便利店"))
                .ToList();
            return (county, steps);
        }).ToList();
        foreach (var (county, steps) in cases.Where(c => c.county.ProvinceCode == "33"))
        {
            for (var step = 0; step < steps.Count; step++)
            {
                expected[steps[step].RecordId.ToString()] = (steps[step].ApplicationNumber, step);
            }
        }

        var total = cases.Sum(c => c.steps.Count);
        using var cancel = new CancellationTokenSource(Timeout);
        var clock = Stopwatch.StartNew();
        var publishing = Task.Run(() => Parallel.ForEachAsync(cases,
            new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancel.Token },
            async (c, token) =>
            {
                // One case's steps in order, as its services emit them; a few are redelivered (sent twice).
                foreach (var record in c.steps)
                {
                    await host.PublishAsync(record, token);
                }

                if (c.steps[0].ApplicationNumber.EndsWith('7') && c.steps.Count > 1)
                {
                    await host.PublishAsync(c.steps[1], token);
                }
            }));

        var pullers = new List<Task<List<Record>>>
        {
            PullGrpcAsync(host, 37, expected.Count, cancel.Token),
            PullGrpcAsync(host, 50, expected.Count, cancel.Token),
            PullGrpcAsync(host, 101, expected.Count, cancel.Token),
            PullRestAsync(host, 64, expected.Count, cancel.Token),
        };
        await publishing;
        var published = clock.Elapsed;
        await host.WaitForCountAsync(total, Timeout);
        var stored = clock.Elapsed;
        var seen = await Task.WhenAll(pullers);
        output.WriteLine($"published {total} records in {published.TotalSeconds:F1} s, all stored after {stored.TotalSeconds:F1} s " +
            $"({total / stored.TotalSeconds:F0} records/s), all pulled after {clock.Elapsed.TotalSeconds:F1} s");

        foreach (var records in seen)
        {
            Assert.Equal(expected.Count, records.Count);
            Assert.Equal(expected.Count, records.Select(r => r.RecordId).Distinct().Count());
            Assert.True(records.Zip(records.Skip(1)).All(p => p.First.Position < p.Second.Position), "positions ascend");
            Assert.All(records, r => Assert.True(expected.ContainsKey(r.RecordId), $"unexpected record {r.RecordId} ({r.CountyCode})"));
            Assert.All(records, r => Assert.StartsWith("33", r.CountyCode));
            // In order per case: each case's steps appear in the order its services took them.
            foreach (var group in records.GroupBy(r => r.ApplicationNumber))
            {
                Assert.Equal(Kinds, group.Select(r => r.Kind));
            }
        }

        Assert.Equal(total, await host.CountAsync());
        var verified = await host.Log.VerifyChainAsync(new VerifyChainRequest());
        Assert.True(verified.Intact, verified.Reason);
        Assert.Equal(total, verified.RecordsChecked);
    }

    private static async Task<List<Record>> PullGrpcAsync(DisclosureHost host, int pageSize, int want, CancellationToken cancel)
    {
        var seen = new List<Record>();
        long after = 0;
        while (seen.Count < want)
        {
            cancel.ThrowIfCancellationRequested();
            var page = await host.OpenData.ListChangesAsync(
                new ListRecordsRequest { AfterPosition = after, PageSize = pageSize },
                DisclosureHost.Credentials(DisclosureHost.Zhejiang), cancellationToken: cancel);
            seen.AddRange(page.Records);
            if (page.Records.Count == 0)
            {
                await Task.Delay(50, cancel);
            }

            after = page.NextPosition;
        }

        return seen;
    }

    private static async Task<List<Record>> PullRestAsync(DisclosureHost host, int pageSize, int want, CancellationToken cancel)
    {
        using var http = new HttpClient { BaseAddress = new Uri(host.HttpUrl) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", DisclosureHost.TokenOf(DisclosureHost.Zhejiang));
        var parser = new Google.Protobuf.JsonParser(Google.Protobuf.JsonParser.Settings.Default);
        var seen = new List<Record>();
        long after = 0;
        while (seen.Count < want)
        {
            cancel.ThrowIfCancellationRequested();
            var json = await http.GetStringAsync($"/open-data/v1/changes?after_position={after}&page_size={pageSize}", cancel);
            var page = parser.Parse<ListRecordsResponse>(json);
            seen.AddRange(page.Records);
            if (page.Records.Count == 0)
            {
                await Task.Delay(50, cancel);
            }

            after = page.NextPosition;
        }

        return seen;
    }
}
