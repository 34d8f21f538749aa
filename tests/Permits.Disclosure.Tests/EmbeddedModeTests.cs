using Permits.Contracts.Disclosure.V1;
using Permits.Shared.Domain;
using Permits.Testing;

namespace Permits.Disclosure.Tests;

/// <summary>
/// The embedded mode's parts: SQLite and MassTransit's in-memory bus (which numbers no deliveries, so the append queue
/// takes records in arrival order), with records batched as on RabbitMQ.
/// </summary>
public sealed class When_records_arrive_on_the_in_memory_bus_into_sqlite : IAsyncLifetime
{
    private readonly string _file = TestData.NewFile("disclosure-embedded", "db");
    private DisclosureHost _host = null!;

    public async Task InitializeAsync() => _host = await DisclosureHost.StartAsync(new Dictionary<string, string?>
    {
        ["Database:Provider"] = "Sqlite",
        ["ConnectionStrings:Database"] = $"Data Source={_file}",
        ["Bus:Transport"] = "InMemory",
    });

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_file);
    }

    [Fact]
    public async Task Should_append_every_record_once_in_order_per_case_with_an_intact_chain()
    {
        const int cases = 40;
        var at = new DateTimeOffset(2026, 4, 1, 2, 0, 0, TimeSpan.Zero);
        await Parallel.ForEachAsync(Enumerable.Range(1, cases), async (i, token) =>
        {
            var id = DeterministicGuid.Create("embedded-test", i);
            foreach (var kind in Records.HappyPath)
            {
                await _host.PublishAsync(Records.Step(kind, id, $"YC2026E{i:D5}", Records.Haiyan, at.AddMinutes(i), "赵六", $"店{i}"), token);
            }
        });

        var total = cases * Records.HappyPath.Length;
        var verified = await Eventually.GetAsync(
            async () => await _host.Log.VerifyChainAsync(new VerifyChainRequest()),
            v => v.RecordsChecked >= total, TimeSpan.FromSeconds(60), $"{total} records in the log");
        Assert.True(verified.Intact, verified.Reason);
        Assert.Equal(total, verified.RecordsChecked);

        var page = await _host.Log.ListRecordsAsync(new ListRecordsRequest { PageSize = 1000 });
        Assert.Equal(total, page.Records.Select(r => r.RecordId).Distinct().Count());
        Assert.All(page.Records.GroupBy(r => r.ApplicationNumber), g => Assert.Equal(Records.HappyPath, g.Select(r => r.Kind)));
    }
}
