using System.Diagnostics;
using System.Net;
using Grpc.Core;
using Permits.Contracts.Disclosure.V1;
using Permits.Testing;

namespace Permits.Disclosure.Tests;

/// <summary>
/// Two replicas of Disclosure on one PostgreSQL database: a platform's rate and quota are counted once, whichever
/// replica (and whichever protocol) each call reaches.
/// </summary>
public sealed class When_two_replicas_serve_one_platform : IAsyncLifetime
{
    private DisclosureHost _first = null!;
    private DisclosureHost _second = null!;

    public async Task InitializeAsync()
    {
        _first = await DisclosureHost.StartAsync();
        _second = await _first.StartReplicaAsync();
    }

    public async Task DisposeAsync()
    {
        await _second.DisposeAsync();
        await _first.DisposeAsync();
    }

    [Fact]
    public async Task Should_share_the_quota_over_grpc_and_rest()
    {
        var credentials = DisclosureHost.Credentials(DisclosureHost.ZhejiangSmall);
        using var firstRest = When_the_public_reads_the_log.PlatformHttp(_first, DisclosureHost.ZhejiangSmall);
        using var secondRest = When_the_public_reads_the_log.PlatformHttp(_second, DisclosureHost.ZhejiangSmall);

        await _first.OpenData.ListChangesAsync(new ListRecordsRequest { PageSize = 1 }, credentials);
        (await secondRest.GetAsync("/open-data/v1/changes?page_size=1")).EnsureSuccessStatusCode();
        await _second.OpenData.ListChangesAsync(new ListRecordsRequest { PageSize = 1 }, credentials);

        // Three calls, the quota, spent across both replicas: each replica refuses the fourth.
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            _first.OpenData.ListChangesAsync(new ListRecordsRequest { PageSize = 1 }, credentials).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Contains("配额", error.Status.Detail);
        var rest = await secondRest.GetAsync("/open-data/v1/changes?page_size=1");
        Assert.Equal(HttpStatusCode.TooManyRequests, rest.StatusCode);
        Assert.InRange(rest.Headers.RetryAfter!.Delta!.Value.TotalHours, 0, 24);
        var export = await firstRest.GetAsync("/open-data/v1/export?from_date=2026-01-01&to_date=2026-01-02&format=csv");
        Assert.Equal(HttpStatusCode.TooManyRequests, export.StatusCode);
        Assert.NotNull(export.Headers.RetryAfter);

        // Another client's quota is its own.
        await _second.OpenData.ListChangesAsync(new ListRecordsRequest { PageSize = 1 }, DisclosureHost.Credentials(DisclosureHost.Zhejiang));
    }

    [Fact]
    public async Task Should_count_every_concurrent_call_exactly_once_and_refuse_none_within_the_limits()
    {
        // zj-platform's limits are generous: nothing may be refused, and the shared count must be exact. The first calls
        // race to create the client's rows, on both replicas at once.
        var credentials = DisclosureHost.Credentials(DisclosureHost.Zhejiang);
        var refused = new System.Collections.Concurrent.ConcurrentBag<string>();
        const int callers = 8, calls = 100;
        await Task.WhenAll(Enumerable.Range(0, callers).Select(caller => Task.Run(async () =>
        {
            for (var i = 0; i < calls; i++)
            {
                var host = (caller + i) % 2 == 0 ? _first : _second;
                try
                {
                    await host.OpenData.ListChangesAsync(new ListRecordsRequest { PageSize = 1 }, credentials);
                }
                catch (RpcException ex)
                {
                    refused.Add($"{ex.StatusCode}: {ex.Status.Detail}");
                }
            }
        })));

        Assert.True(refused.IsEmpty, string.Join("\n", refused.Distinct()));
        await using var connection = new Npgsql.NpgsqlConnection(_first.ConnectionString);
        var used = await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection,
            "SELECT SUM(used) FROM platform_quota WHERE client_id = @Client", new { Client = DisclosureHost.Zhejiang });
        Assert.Equal(callers * calls, used);
    }

    [Fact]
    public async Task Should_share_the_rate_limit_so_two_replicas_allow_no_more_than_one()
    {
        // zj-rate: burst 5, then 1 call a second. Per replica, 12 quick calls across two would pass 10 and more.
        var credentials = DisclosureHost.Credentials(DisclosureHost.ZhejiangRate);
        var clock = Stopwatch.StartNew();
        int allowed = 0, refused = 0;
        for (var i = 0; i < 12; i++)
        {
            var host = i % 2 == 0 ? _first : _second;
            try
            {
                await host.OpenData.ListChangesAsync(new ListRecordsRequest { PageSize = 1 }, credentials);
                allowed++;
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.ResourceExhausted)
            {
                Assert.Contains("rate limit", ex.Status.Detail);
                refused++;
            }
        }

        var bound = 5 + (int)Math.Ceiling(clock.Elapsed.TotalSeconds);
        Assert.InRange(allowed, 5, bound);
        Assert.Equal(12 - allowed, refused);
    }
}

/// <summary>The embedded mode's database: the same limits, counted in SQLite.</summary>
public sealed class When_the_service_counts_limits_in_sqlite : IAsyncLifetime
{
    private readonly string _file = TestData.NewFile("disclosure-limits", "db");
    private DisclosureHost _host = null!;

    public async Task InitializeAsync() => _host = await DisclosureHost.StartAsync(new Dictionary<string, string?>
    {
        ["Database:Provider"] = "Sqlite",
        ["ConnectionStrings:Database"] = $"Data Source={_file}",
    });

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_file);
    }

    [Fact]
    public async Task Should_refuse_the_call_after_the_quota()
    {
        var credentials = DisclosureHost.Credentials(DisclosureHost.ZhejiangSmall);
        for (var i = 0; i < 3; i++)
        {
            await _host.OpenData.ListChangesAsync(new ListRecordsRequest { PageSize = 1 }, credentials);
        }

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            _host.OpenData.ListChangesAsync(new ListRecordsRequest { PageSize = 1 }, credentials).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Contains("配额", error.Status.Detail);
    }
}
