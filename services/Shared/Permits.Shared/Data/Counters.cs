namespace Permits.Shared.Data;

/// <summary>
/// Named, gap-free sequences (licence serials, document numbers, application numbers). One statement creates the
/// counter at its first use or increments it, taking the row's write lock inside the caller's transaction, so
/// concurrent instances serialize on it and a rollback gives the number back: no duplicates, no gaps. Two transactions
/// racing to create the same counter (the first number of a county's day) do not fail: PostgreSQL and SQLite wait on
/// the conflicting key and then update; SQL Server's MERGE holds the key range.
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
