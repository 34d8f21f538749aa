using Dapper;
using Npgsql;
using Xunit.Abstractions;

namespace Permits.Certificate.Tests;

public sealed class When_four_instances_issue_licences_for_one_county(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Instances = 4;
    private const int PerInstance = 500;
    private readonly List<CertificateHost> _hosts = [];

    public async Task InitializeAsync()
    {
        var database = await CertificateHost.NewDatabaseAsync();
        var data = TestData.NewFolder("certificate-tests");
        for (var i = 0; i < Instances; i++)
        {
            // One after another so the first migrates the schema; they then run side by side on separate connections.
            _hosts.Add(await CertificateHost.StartAsync(database, data));
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task Should_allocate_every_serial_once_without_gaps()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var issued = await Task.WhenAll(_hosts.Select(host => Task.Run(async () =>
        {
            var numbers = new List<string>(PerInstance);
            for (var i = 0; i < PerInstance; i++)
            {
                numbers.Add((await host.IssueAsync(CertificateHost.Approval()))!);
            }

            return numbers;
        })));

        var all = issued.SelectMany(numbers => numbers).ToList();
        Assert.Equal(Instances * PerInstance, all.Count);
        Assert.Equal(all.Count, all.Distinct().Count());
        var expected = Enumerable.Range(1, Instances * PerInstance).Select(serial => $"3304241{serial:D5}").ToList();
        Assert.Equal(expected, all.Order(StringComparer.Ordinal).ToList());

        await using var connection = new NpgsqlConnection(_hosts[0].ConnectionString);
        var stored = (await connection.QueryAsync<string>("SELECT licence_number FROM certificates ORDER BY licence_number")).ToList();
        Assert.Equal(expected, stored);
        output.WriteLine($"{all.Count} licences (signed) by {Instances} instances in {clock.Elapsed.TotalSeconds:F1} s " +
            $"({all.Count / clock.Elapsed.TotalSeconds:F0}/s): serials 1..{all.Count}, no duplicate, no gap");
    }

    [Fact]
    public async Task Should_fail_clearly_when_serials_run_out_and_give_the_number_back()
    {
        await _hosts[0].IssueAsync(CertificateHost.Approval(holderType: "Enterprise"));
        await using (var connection = new NpgsqlConnection(_hosts[0].ConnectionString))
        {
            await connection.ExecuteAsync("UPDATE counters SET value = 99998 WHERE name = 'licence:330424:2'");
        }

        Assert.EndsWith("299999", (await _hosts[1].IssueAsync(CertificateHost.Approval(holderType: "Enterprise")))!);
        var error = await Assert.ThrowsAsync<Permits.Certificate.Domain.SerialsExhaustedException>(
            () => _hosts[2].IssueAsync(CertificateHost.Approval(holderType: "Enterprise")));

        Assert.Contains("exhausted", error.Message);
        Assert.Equal(99_999, await _hosts[0].ScalarAsync<long>("SELECT value FROM counters WHERE name = 'licence:330424:2'"));
        Assert.Equal(2, await _hosts[0].ScalarAsync<long>("SELECT COUNT(*) FROM certificates WHERE holder_type = 'Enterprise'"));
    }
}
