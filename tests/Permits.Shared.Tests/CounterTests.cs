using Microsoft.Extensions.Logging.Abstractions;
using Permits.Shared.Data;
using Permits.Shared.Messaging;
using Permits.Testing;

namespace Permits.Shared.Tests;

/// <summary>
/// Gap-free numbering on a real PostgreSQL server and on SQLite: the first numbers of a fresh counter, asked for by
/// many transactions at once, all succeed and are 1..n, and a rolled-back number is given again. (SQL Server's MERGE
/// is parse-checked with the other T-SQL in SqlServerSyntaxTests.)
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

    /// <summary>
    /// SQLite begins every transaction IMMEDIATE (Microsoft.Data.Sqlite's default), so writers queue at BEGIN behind
    /// the busy timeout rather than meet at the missing row: all start at once and each must still get its own number.
    /// </summary>
    [Fact]
    public async Task Should_give_each_a_distinct_number_on_SQLite_too()
    {
        var folder = TestData.NewFolder("counter-tests");
        var database = await MigratedAsync(new DatabaseOptions(SqlDialect.Sqlite, $"Data Source={Path.Combine(folder, "counters.db")}", true));
        const int Callers = 16;
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var callers = Enumerable.Range(0, Callers).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            await using var session = await database.BeginAsync(CancellationToken.None);
            var number = await Counters.NextAsync(session, "application:330424:20261206");
            await session.CommitAsync(CancellationToken.None);
            return number;
        })).ToList();
        start.SetResult();
        var numbers = await Task.WhenAll(callers);

        Assert.Equal(Enumerable.Range(1, Callers).Select(n => (long)n), numbers.Order());
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
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

    private static async Task<ServiceDatabase<StepTestModule>> MigratedAsync(DatabaseOptions? options = null)
    {
        options ??= new DatabaseOptions(SqlDialect.PostgreSql, await (await TestServers.GetAsync()).NewDatabaseAsync("counters"), false);
        var database = new ServiceDatabase<StepTestModule>(options, new OutboxSignal<StepTestModule>());
        await new SchemaMigrator<StepTestModule>(database, NullLogger<SchemaMigrator<StepTestModule>>.Instance)
            .MigrateAsync(CancellationToken.None);
        return database;
    }
}
