using System.Data.Common;
using Permits.Shared.Data;

namespace Permits.Identity.Features;

/// <summary>
/// Locks that make a limit exact across replicas: a check takes its lock first in its transaction, so concurrent
/// requests read the counts and add to them one after the other.
/// </summary>
/// <remarks>
/// Two kinds. A row in <c>identity_limit_locks</c>, updated (officer accounts). Or a lock on a key that lives only as
/// long as the transaction (<see cref="TakeAsync"/>): as many keys as there are numbers and client addresses, and
/// nothing stored for any of them.
/// </remarks>
public static class LimitLocks
{
    public const string EnsureSql = """
        INSERT INTO identity_limit_locks (lock_key, touched_at)
        SELECT @Key, @Now WHERE NOT EXISTS (SELECT 1 FROM identity_limit_locks WHERE lock_key = @Key)
        """;

    /// <summary>Takes the row lock for the rest of the transaction (a write lock on SQLite).</summary>
    public const string LockSql = "UPDATE identity_limit_locks SET touched_at = @Now WHERE lock_key = @Key";

    /// <summary>
    /// An advisory lock on (space, hash of the key) until the transaction ends. Two keys of one space with the same hash
    /// only take turns; keys of different spaces never meet, so locks taken in the order of their spaces cannot deadlock.
    /// </summary>
    public const string TakeSqlPostgres = "SELECT pg_advisory_xact_lock(@Space, hashtext(@Key))";

    /// <summary>An application lock on the key until the transaction ends; a lock not granted (a deadlock victim) fails.</summary>
    public const string TakeSqlSqlServer = """
        DECLARE @granted INT;
        EXEC @granted = sp_getapplock @Resource = @Resource, @LockMode = 'Exclusive', @LockOwner = 'Transaction';
        IF @granted < 0 THROW 51000, 'The limit lock was not granted.', 1;
        """;

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

    /// <summary>
    /// Takes the lock on <paramref name="key"/> in <paramref name="space"/> until the transaction ends. A transaction
    /// that takes several takes them in ascending order of space. On SQLite this does nothing: its transactions here
    /// begin immediate, so the one writer already holds every lock there is.
    /// </summary>
    public static Task TakeAsync(DbSession session, int space, string key) => session.Dialect switch
    {
        SqlDialect.PostgreSql => session.ExecuteAsync(TakeSqlPostgres, new { Space = space, Key = key }),
        SqlDialect.SqlServer => session.ExecuteAsync(TakeSqlSqlServer, new { Resource = $"permits-identity:{space}:{key}" }),
        _ => Task.CompletedTask,
    };
}
