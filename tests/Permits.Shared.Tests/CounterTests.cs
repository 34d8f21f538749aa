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
        var database = await CounterDatabase.MigratedAsync();
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
        var database = await CounterDatabase.MigratedAsync(new DatabaseOptions(SqlDialect.Sqlite, $"Data Source={Path.Combine(folder, "counters.db")}", true));
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
        var database = await CounterDatabase.MigratedAsync();
        await using (var abandoned = await database.BeginAsync(CancellationToken.None))
        {
            Assert.Equal(1, await Counters.NextAsync(abandoned, "document:330424:accept:2026"));
        }

        await using var session = await database.BeginAsync(CancellationToken.None);
        Assert.Equal(1, await Counters.NextAsync(session, "document:330424:accept:2026"));
        Assert.Equal(2, await Counters.NextAsync(session, "document:330424:accept:2026"));
        Assert.Equal(1, await Counters.NextAsync(session, "document:330424:refuse:2026"));
    }

}

/// <summary>
/// A number reserved ahead of the work that prints it (<see cref="Counters.ReserveAsync"/>): the work finds it, every
/// retry finds the same, reservations racing for one key leave one number and no gap, and the counter's lock is not
/// held by the work (another issuer takes the next number while the work's transaction is still open).
/// </summary>
public sealed class When_a_number_is_reserved_before_the_work_that_prints_it
{
    private const string Counter = "document:330424:许送:2026";

    [Fact]
    public async Task Should_give_the_work_and_every_retry_the_reserved_number()
    {
        var database = await CounterDatabase.MigratedAsync();
        await Counters.ReserveAsync(database, "receipt:A", Counter, null, CancellationToken.None);
        await Counters.ReserveAsync(database, "receipt:A", Counter, null, CancellationToken.None);

        for (var attempt = 0; attempt < 2; attempt++)
        {
            // The first attempt rolls back (a failed consumer); the retry finds the same number.
            await using var session = await database.BeginAsync(CancellationToken.None);
            Assert.Equal(1, await Counters.TakeAsync(session, "receipt:A", Counter));
        }

        await using var other = await database.BeginAsync(CancellationToken.None);
        Assert.Equal(2, await Counters.TakeAsync(other, "receipt:B", Counter));
    }

    [Fact]
    public async Task Should_not_hold_the_counter_while_the_work_runs()
    {
        var database = await CounterDatabase.MigratedAsync();
        await Counters.ReserveAsync(database, "receipt:A", Counter, null, CancellationToken.None);
        await using var work = await database.BeginAsync(CancellationToken.None);
        Assert.Equal(1, await Counters.TakeAsync(work, "receipt:A", Counter));

        // With the work's transaction still open, another issuer reserves and gets the next number at once (a lock
        // held by the work would make this wait until the work commits, and the test's timeout would end it).
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await Counters.ReserveAsync(database, "receipt:B", Counter, null, timeout.Token);
        await using var next = await database.BeginAsync(CancellationToken.None);
        Assert.Equal(2, await Counters.TakeAsync(next, "receipt:B", Counter));
    }

    [Fact]
    public async Task Should_leave_one_number_when_reservations_of_a_key_race()
    {
        var database = await CounterDatabase.MigratedAsync();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var racers = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            await start.Task;
            await Counters.ReserveAsync(database, $"receipt:{i % 2}", Counter, null, CancellationToken.None);
        })).ToList();
        start.SetResult();
        await Task.WhenAll(racers);

        await using var session = await database.BeginAsync(CancellationToken.None);
        var numbers = new[] { await Counters.TakeAsync(session, "receipt:0", Counter), await Counters.TakeAsync(session, "receipt:1", Counter) };
        Assert.Equal([1L, 2L], numbers.Order());
        Assert.Equal(3, await Counters.NextAsync(session, Counter));
    }

    [Fact]
    public async Task Should_refuse_a_number_the_check_rejects_and_leave_the_counter()
    {
        var database = await CounterDatabase.MigratedAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(() => Counters.ReserveAsync(
            database, "licence:A", "licence:330424:1", _ => throw new InvalidOperationException("exhausted"), CancellationToken.None));

        await using var session = await database.BeginAsync(CancellationToken.None);
        Assert.Equal(1, await Counters.TakeAsync(session, "licence:B", "licence:330424:1"));
    }

    [Fact]
    public async Task Should_take_the_number_in_the_work_on_SQLite()
    {
        var folder = TestData.NewFolder("counter-tests");
        var database = await CounterDatabase.MigratedAsync(
            new DatabaseOptions(SqlDialect.Sqlite, $"Data Source={Path.Combine(folder, "reservations.db")}", true));
        await using (var session = await database.BeginAsync(CancellationToken.None))
        {
            // The work's transaction has written first (its inbox row): a reservation must not wait on it.
            await Counters.NextAsync(session, "other");
            await Counters.ReserveAsync(database, "receipt:A", Counter, null, CancellationToken.None);
            Assert.Equal(1, await Counters.TakeAsync(session, "receipt:A", Counter));
            await session.CommitAsync(CancellationToken.None);
        }

        await using (var retry = await database.BeginAsync(CancellationToken.None))
        {
            Assert.Equal(1, await Counters.TakeAsync(retry, "receipt:A", Counter));
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}

internal static class CounterDatabase
{
    public static async Task<ServiceDatabase<StepTestModule>> MigratedAsync(DatabaseOptions? options = null)
    {
        options ??= new DatabaseOptions(SqlDialect.PostgreSql, await (await TestServers.GetAsync()).NewDatabaseAsync("counters"), false);
        var database = new ServiceDatabase<StepTestModule>(options, new OutboxSignal<StepTestModule>());
        await new SchemaMigrator<StepTestModule>(database, NullLogger<SchemaMigrator<StepTestModule>>.Instance)
            .MigrateAsync(CancellationToken.None);
        return database;
    }
}
