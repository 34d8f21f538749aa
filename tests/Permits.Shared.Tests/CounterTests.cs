using Microsoft.Extensions.Logging.Abstractions;
using Permits.Shared.Data;
using Permits.Shared.Messaging;
using Permits.Testing;

namespace Permits.Shared.Tests;

/// <summary>
/// Gap-free numbering on a real PostgreSQL server: the first numbers of a fresh counter, asked for by many
/// transactions at once, all succeed and are 1..n, and a rolled-back number is given again.
/// </summary>
public sealed class When_many_transactions_take_the_first_numbers_of_a_day
{
    [Fact]
    public async Task Should_give_each_a_distinct_number_without_gaps_or_key_errors()
    {
        var database = await MigratedAsync();
        const int Callers = 16;
        var ready = new CountdownEvent(Callers);
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Every transaction is open before any asks, so all of them meet the missing counter row at once.
        var callers = Enumerable.Range(0, Callers).Select(async _ =>
        {
            await using var session = await database.BeginAsync(CancellationToken.None);
            ready.Signal();
            await start.Task;
            var number = await Counters.NextAsync(session, "application:330424:20261206");
            await session.CommitAsync(CancellationToken.None);
            return number;
        }).ToList();
        Assert.True(ready.Wait(TimeSpan.FromSeconds(30)), "every transaction open");
        start.SetResult();
        var numbers = await Task.WhenAll(callers);

        Assert.Equal(Enumerable.Range(1, Callers).Select(n => (long)n), numbers.Order());
    }

    [Fact]
    public async Task Should_give_a_rolled_back_number_again()
    {
        var database = await MigratedAsync();
        await using (var abandoned = await database.BeginAsync(CancellationToken.None))
        {
            Assert.Equal(1, await Counters.NextAsync(abandoned, "document:330424:accept:2026"));
        }

        await using var session = await database.BeginAsync(CancellationToken.None);
        Assert.Equal(1, await Counters.NextAsync(session, "document:330424:accept:2026"));
        Assert.Equal(2, await Counters.NextAsync(session, "document:330424:accept:2026"));
        Assert.Equal(1, await Counters.NextAsync(session, "document:330424:refuse:2026"));
    }

    private static async Task<ServiceDatabase<StepTestModule>> MigratedAsync()
    {
        var servers = await TestServers.GetAsync();
        var connectionString = await servers.NewDatabaseAsync("counters");
        var database = new ServiceDatabase<StepTestModule>(
            new DatabaseOptions(SqlDialect.PostgreSql, connectionString, false), new OutboxSignal<StepTestModule>());
        await new SchemaMigrator<StepTestModule>(database, NullLogger<SchemaMigrator<StepTestModule>>.Instance)
            .MigrateAsync(CancellationToken.None);
        return database;
    }
}
