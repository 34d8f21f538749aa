using System.Data.Common;
using Permits.Shared.Data;

namespace Permits.Identity.Features;

/// <summary>
/// Rows in <c>identity_limit_locks</c> that make a limit exact across replicas: a check takes its row's lock (an update)
/// first in its transaction, so concurrent requests read the counts and add to them one after the other.
/// </summary>
public static class LimitLocks
{
    public const string EnsureSql = """
        INSERT INTO identity_limit_locks (lock_key, touched_at)
        SELECT @Key, @Now WHERE NOT EXISTS (SELECT 1 FROM identity_limit_locks WHERE lock_key = @Key)
        """;

    /// <summary>Takes the row lock for the rest of the transaction (a write lock on SQLite).</summary>
    public const string LockSql = "UPDATE identity_limit_locks SET touched_at = @Now WHERE lock_key = @Key";

    public static async Task EnsureAsync(ServiceDatabase<IdentityModule> database, string key, long now, CancellationToken cancellationToken)
    {
        try
        {
            await using var session = await database.BeginAsync(cancellationToken);
            await session.ExecuteAsync(EnsureSql, new { Key = key, Now = now });
            await session.CommitAsync(cancellationToken);
        }
        catch (DbException)
        {
            // Another request inserted the row first; it is there, which is all this needs.
        }
    }

    public static Task LockAsync(DbSession session, string key, long now) => session.ExecuteAsync(LockSql, new { Key = key, Now = now });
}
