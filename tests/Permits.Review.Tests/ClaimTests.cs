using Grpc.Core;
using Permits.Contracts.Review.V1;
using Permits.Shared.Domain;

namespace Permits.Review.Tests;

public abstract class When_officers_claim_cases(string provider) : IAsyncLifetime
{
    private ReviewHost _host = null!;

    public async Task InitializeAsync() => _host = await ReviewHost.StartAsync(provider, ManualTime.AtChinaTime(2026, 11, 2));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static CaseActionRequest Clerk(string caseId, string who) => new()
    {
        CaseId = caseId, OfficerId = who, OfficerRole = "clerk", OfficerCountyCode = Officers.Haiyan,
    };

    [Fact]
    public async Task Should_let_exactly_one_of_two_simultaneous_claimers_win()
    {
        var reviewCase = await _host.SubmitAsync();

        var attempts = await Task.WhenAll(
            Try(() => _host.Client.ClaimAsync(Clerk(reviewCase.CaseId, "clerk-a")).ResponseAsync),
            Try(() => _host.Client.ClaimAsync(Clerk(reviewCase.CaseId, "clerk-b")).ResponseAsync));

        Assert.Single(attempts, a => a.Status == StatusCode.OK);
        var loser = Assert.Single(attempts, a => a.Status != StatusCode.OK);
        Assert.Contains(loser.Status, new[] { StatusCode.AlreadyExists, StatusCode.Aborted });
        var held = await _host.GetAsync(reviewCase.CaseId);
        Assert.Contains(held.ClaimedBy, new[] { "clerk-a", "clerk-b" });
    }

    [Fact]
    public async Task Should_keep_others_from_acting_while_the_lease_runs_and_free_the_case_when_it_expires()
    {
        var reviewCase = await _host.SubmitAsync();
        await _host.Client.ClaimAsync(Clerk(reviewCase.CaseId, "clerk-a"));

        var blocked = await Assert.ThrowsAsync<RpcException>(() => _host.Client.AcceptAsync(Clerk(reviewCase.CaseId, "clerk-b")).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, blocked.StatusCode);
        var taken = await Assert.ThrowsAsync<RpcException>(() => _host.Client.ClaimAsync(Clerk(reviewCase.CaseId, "clerk-b")).ResponseAsync);
        Assert.Equal(StatusCode.AlreadyExists, taken.StatusCode);
        Assert.Contains("clerk-a", taken.Status.Detail);

        // clerk-a walks away; after the 30-minute lease the case is free again.
        _host.Time.Advance(TimeSpan.FromMinutes(31));
        var claimed = await _host.Client.ClaimAsync(Clerk(reviewCase.CaseId, "clerk-b"));
        Assert.Equal("clerk-b", claimed.ClaimedBy);

        var accepted = await _host.Client.AcceptAsync(Clerk(reviewCase.CaseId, "clerk-b"));
        Assert.Equal("", accepted.ClaimedBy);
    }

    [Fact]
    public async Task Should_release_only_the_holders_claim()
    {
        var reviewCase = await _host.SubmitAsync();
        await _host.Client.ClaimAsync(Clerk(reviewCase.CaseId, "clerk-a"));

        var notYours = await Assert.ThrowsAsync<RpcException>(() => _host.Client.ReleaseAsync(Clerk(reviewCase.CaseId, "clerk-b")).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, notYours.StatusCode);

        var released = await _host.Client.ReleaseAsync(Clerk(reviewCase.CaseId, "clerk-a"));
        Assert.Equal("", released.ClaimedBy);
    }

    [Fact]
    public async Task Should_hand_out_the_nearest_deadline_first_and_say_when_the_queue_is_empty()
    {
        var early = await _host.SubmitAsync();
        _host.Time.SetChinaDate(new DateOnly(2026, 11, 3));
        var late = await _host.SubmitAsync();

        var first = await _host.Client.ClaimNextAsync(new ClaimNextRequest { Action = Clerk("", "clerk-a") });
        var second = await _host.Client.ClaimNextAsync(new ClaimNextRequest { Action = Clerk("", "clerk-b") });
        var none = await Assert.ThrowsAsync<RpcException>(() =>
            _host.Client.ClaimNextAsync(new ClaimNextRequest { Action = Clerk("", "clerk-c") }).ResponseAsync);

        Assert.Equal(early.CaseId, first.CaseId);
        Assert.Equal(late.CaseId, second.CaseId);
        Assert.Equal(StatusCode.NotFound, none.StatusCode);
    }

    private static async Task<(StatusCode Status, Case? Case)> Try(Func<Task<Case>> call)
    {
        try
        {
            return (StatusCode.OK, await call());
        }
        catch (RpcException ex)
        {
            return (ex.StatusCode, null);
        }
    }
}

public sealed class When_officers_claim_cases_on_sqlite() : When_officers_claim_cases("Sqlite");

public sealed class When_officers_claim_cases_on_postgresql() : When_officers_claim_cases("PostgreSql");

/// <summary>8 officers on 4 Review instances drain one county queue of 500 cases on PostgreSQL.</summary>
public sealed class When_eight_officers_drain_one_queue_on_several_instances : IAsyncLifetime
{
    private const int CaseCount = 500;
    private const int Instances = 4;
    private const int Officers8 = 8;

    private readonly ManualTime _time = ManualTime.AtChinaTime(2026, 11, 2);
    private readonly List<ReviewHost> _hosts = [];

    public async Task InitializeAsync()
    {
        var database = await ReviewHost.NewDatabaseAsync("PostgreSql");
        for (var i = 0; i < Instances; i++)
        {
            _hosts.Add(await ReviewHost.StartAsync("PostgreSql", _time, database));
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
    public async Task Should_claim_every_case_exactly_once()
    {
        for (var i = 0; i < CaseCount; i++)
        {
            await _hosts[i % Instances].PublishSubmittedAsync();
        }

        await Permits.Testing.Eventually.TrueAsync(
            async () => await _hosts[0].CountAsync("SELECT COUNT(*) FROM review_cases") == CaseCount,
            TimeSpan.FromSeconds(120), $"{CaseCount} cases to open");

        var claims = await Task.WhenAll(Enumerable.Range(0, Officers8).Select(officer => DrainAsync(_hosts[officer % Instances], officer)));

        var all = claims.SelectMany(c => c).ToList();
        Assert.Equal(CaseCount, all.Count);
        Assert.Equal(CaseCount, all.Distinct().Count());
        Assert.Equal(CaseCount, await _hosts[0].CountAsync("SELECT COUNT(*) FROM review_cases WHERE claimed_by IS NOT NULL"));
        Assert.True(claims.Count(c => c.Count > 0) > 1, "the queue was drained by one officer only: no contention was tested");
    }

    private static async Task<List<string>> DrainAsync(ReviewHost host, int officer)
    {
        var mine = new List<string>();
        var request = new ClaimNextRequest
        {
            Action = new CaseActionRequest { OfficerId = $"clerk-{officer}", OfficerRole = "clerk", OfficerCountyCode = Officers.Haiyan },
        };
        for (var attempt = 0; attempt < CaseCount + 10; attempt++)
        {
            try
            {
                mine.Add((await host.Client.ClaimNextAsync(request)).CaseId);
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
            {
                return mine;
            }
        }

        throw new InvalidOperationException($"Officer {officer} never saw the queue empty.");
    }
}
