using Permits.Shared.Messaging;

namespace Permits.Shared.Data;

/// <summary>
/// Named, gap-free sequences (licence serials, document numbers, application numbers). One statement creates the
/// counter at its first use or increments it, taking the row's write lock inside the caller's transaction, so
/// concurrent instances serialize on it and a rollback gives the number back: no duplicates, no gaps. Two transactions
/// racing to create the same counter (the first number of a county's day) do not fail: PostgreSQL and SQLite wait on
/// the conflicting key and then update; SQL Server's MERGE holds the key range. Work that holds its transaction open
/// after taking a number (rendering a signed document that prints it) reserves the number first
/// (<see cref="ReserveAsync"/>, <see cref="TakeAsync"/>), so issuers do not queue on the counter behind it.
/// </summary>
public static class Counters
{
    /// <summary>PostgreSQL and SQLite (3.35+): insert-or-increment, returning the new value.</summary>
    private const string NextSqlUpsert = """
        INSERT INTO counters (name, value) VALUES (@Name, 1)
        ON CONFLICT (name) DO UPDATE SET value = counters.value + 1
        RETURNING value
        """;

    private const string NextSqlSqlServer = """
        MERGE counters WITH (HOLDLOCK) AS c
        USING (SELECT @Name AS name) AS s ON c.name = s.name
        WHEN MATCHED THEN UPDATE SET value = c.value + 1
        WHEN NOT MATCHED THEN INSERT (name, value) VALUES (s.name, 1)
        OUTPUT inserted.value;
        """;

    public static Task<long> NextAsync(DbSession session, string name) =>
        session.ExecuteScalarAsync<long>(session.Dialect == SqlDialect.SqlServer ? NextSqlSqlServer : NextSqlUpsert, new { Name = name });

    private const string ReservedSql = "SELECT value FROM counter_reservations WHERE reservation_key = @Key";

    private const string ReserveSql = """
        INSERT INTO counter_reservations (reservation_key, counter_name, value, reserved_at) VALUES (@Key, @Name, @Value, @At)
        """;

    /// <summary>
    /// The number for <paramref name="key"/> (one purpose: a licence's serial, a decision's 送达回证), inside the caller's
    /// transaction: the one <see cref="ReserveAsync"/> took before it if there is one, otherwise the next number of
    /// <paramref name="name"/>, recorded under the key in this transaction (so a rollback gives it back, as
    /// <see cref="NextAsync"/> does). Either way every retry of the work finds the same number.
    /// </summary>
    /// <param name="check">Refuses a number (throws) before it is recorded, e.g. a serial past its range.</param>
    public static async Task<long> TakeAsync(DbSession session, string key, string name, Action<long>? check = null)
    {
        if (await session.QuerySingleOrDefaultAsync<long?>(ReservedSql, new { Key = key }) is { } reserved)
        {
            return reserved;
        }

        var value = await NextAsync(session, name);
        check?.Invoke(value);
        await session.ExecuteAsync(ReserveSql, new { Key = key, Name = name, Value = value, At = DateTimeOffset.UtcNow });
        return value;
    }

    /// <summary>
    /// Takes the number for <paramref name="key"/> in a short transaction of its own, before the work that uses it
    /// begins (see <see cref="InboxConsumer{TService, TMessage}"/>'s PrepareAsync), so that work — rendering and signing a
    /// document that prints the number — does not hold the counter's lock, which every issuer of the county waits on.
    /// The work then finds it with <see cref="TakeAsync"/>. Gap-free as long as the work is retried until it is done
    /// (a consumer's message is); a second reservation of the same key, racing or later, finds the first.
    /// </summary>
    /// <remarks>
    /// On SQLite this does nothing: one writer at a time, so there is no lock to keep short, and the caller's
    /// transaction would wait on this one's. <see cref="TakeAsync"/> then takes the number in the work's transaction.
    /// </remarks>
    public static async Task ReserveAsync<TService>(
        ServiceDatabase<TService> database, string key, string name, Action<long>? check, CancellationToken cancellationToken)
        where TService : IServiceModule
    {
        if (database.Dialect == SqlDialect.Sqlite)
        {
            return;
        }

        await using var session = await database.BeginAsync(cancellationToken);
        if (await session.QuerySingleOrDefaultAsync<long?>(ReservedSql, new { Key = key }) is not null)
        {
            return;
        }

        var value = await NextAsync(session, name);
        // Another reservation of the key may have committed while this one waited for the counter's lock: it stands,
        // and disposing this transaction rolls the number just taken back.
        if (await session.QuerySingleOrDefaultAsync<long?>(ReservedSql, new { Key = key }) is not null)
        {
            return;
        }

        check?.Invoke(value);
        await session.ExecuteAsync(ReserveSql, new { Key = key, Name = name, Value = value, At = DateTimeOffset.UtcNow });
        await session.CommitAsync(cancellationToken);
    }

    /// <summary>PostgreSQL and SQLite: raise the counter to at least @Value (never lower it).</summary>
    private const string RaiseSqlUpsert = """
        INSERT INTO counters (name, value) VALUES (@Name, @Value)
        ON CONFLICT (name) DO UPDATE SET value = CASE WHEN counters.value < excluded.value THEN excluded.value ELSE counters.value END
        """;

    private const string RaiseSqlSqlServer = """
        MERGE counters WITH (HOLDLOCK) AS c
        USING (SELECT @Name AS name, @Value AS value) AS s ON c.name = s.name
        WHEN MATCHED AND c.value < s.value THEN UPDATE SET value = s.value
        WHEN NOT MATCHED THEN INSERT (name, value) VALUES (s.name, s.value);
        """;

    /// <summary>
    /// Moves a sequence past numbers allocated elsewhere (a register imported from another system), so the next
    /// <see cref="NextAsync"/> gives <paramref name="value"/> + 1 at least; a counter already further stays where it is.
    /// </summary>
    public static Task RaiseAsync(DbSession session, string name, long value) =>
        session.ExecuteAsync(session.Dialect == SqlDialect.SqlServer ? RaiseSqlSqlServer : RaiseSqlUpsert, new { Name = name, Value = value });
}
