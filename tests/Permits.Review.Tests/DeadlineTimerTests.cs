using Permits.Contracts.Review;
using Permits.Shared.Domain;

namespace Permits.Review.Tests;

/// <summary>The durable timer with several Review instances on one PostgreSQL database, and across a restart.</summary>
public sealed class When_several_instances_watch_the_same_deadlines : IAsyncLifetime
{
    private const int CaseCount = 30;

    private readonly ManualTime _time = ManualTime.AtChinaTime(2026, 11, 2);
    private ReviewHost _first = null!;
    private ReviewHost _second = null!;

    public async Task InitializeAsync()
    {
        var database = await ReviewHost.NewDatabaseAsync("PostgreSql");
        _first = await ReviewHost.StartAsync("PostgreSql", _time, database);
        _second = await ReviewHost.StartAsync("PostgreSql", _time, database);
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
    }

    [Fact]
    public async Task Should_raise_each_breach_exactly_once()
    {
        for (var i = 0; i < CaseCount; i++)
        {
            await _first.SubmitAsync();
        }

        _time.SetChinaDate(new DateOnly(2026, 11, 10));
        var raised = await Task.WhenAll(
            _first.Watcher.RunOnceAsync(default), _second.Watcher.RunOnceAsync(default),
            _first.Watcher.RunOnceAsync(default), _second.Watcher.RunOnceAsync(default));

        Assert.Equal(CaseCount, raised.Sum());
        Assert.Equal(CaseCount, await _first.OutboxCountAsync<DeadlineBreached>());
        Assert.Equal(CaseCount, await _first.OutboxCountAsync<ApplicationAccepted>());
        Assert.Equal(CaseCount, await _first.CountAsync("SELECT COUNT(*) FROM review_cases WHERE deemed_accepted = 1"));
    }

    [Fact]
    public async Task Should_find_the_deadlines_again_after_a_restart()
    {
        var reviewCase = await _first.SubmitAsync();
        await _first.DisposeAsync();
        await _second.DisposeAsync();

        // Nothing in memory survives: new instances read the deadline rows from the database.
        _first = await ReviewHost.StartAsync("PostgreSql", _time, _first.ConnectionString);
        _second = await ReviewHost.StartAsync("PostgreSql", _time, _first.ConnectionString);
        _time.SetChinaDate(new DateOnly(2026, 11, 10));

        Assert.Equal(1, await _second.Watcher.RunOnceAsync(default));
        Assert.True((await _first.GetAsync(reviewCase.CaseId)).DeemedAccepted);
    }
}
