namespace Permits.Shared.Data;

/// <summary>
/// Named, gap-free sequences (licence serials, document numbers, application numbers). The increment takes the
/// row's write lock inside the caller's transaction, so concurrent instances serialize on it and a rollback gives
/// the number back: no duplicates, no gaps.
/// </summary>
public static class Counters
{
    private const string EnsureSql = """
        INSERT INTO counters (name, value)
        SELECT @Name, 0
        WHERE NOT EXISTS (SELECT 1 FROM counters WHERE name = @Name)
        """;

    private const string IncrementSql = "UPDATE counters SET value = value + 1 WHERE name = @Name";

    private const string ReadSql = "SELECT value FROM counters WHERE name = @Name";

    public static async Task<long> NextAsync(DbSession session, string name)
    {
        await session.ExecuteAsync(EnsureSql, new { Name = name });
        await session.ExecuteAsync(IncrementSql, new { Name = name });
        return await session.ExecuteScalarAsync<long>(ReadSql, new { Name = name });
    }
}
