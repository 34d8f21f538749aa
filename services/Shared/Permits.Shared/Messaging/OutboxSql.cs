using Permits.Shared.Data;

namespace Permits.Shared.Messaging;

/// <summary>
/// The outbox's statements. Queries named <c>…Sql</c> run on every engine; the others are one engine's form of the
/// same statement (<c>…SqlPostgres</c>, <c>…SqlSqlite</c>, <c>…SqlLimit</c> for both of those, <c>…SqlSqlServer</c>).
/// </summary>
public static class OutboxSql
{
    /// <summary>
    /// <c>message_type</c> still gets the CLR name: during a rolling upgrade the previous version's relays read it.
    /// Relays of this version read <c>message_name</c>.
    /// </summary>
    public const string InsertSql = """
        INSERT INTO outbox_messages (message_id, message_name, message_type, body, trace_parent, created_at, attempts)
        VALUES (@MessageId, @MessageName, @MessageType, @Body, @TraceParent, @CreatedAt, 0)
        """;

    /// <summary>
    /// Takes the oldest unsent rows nobody holds (or whose holder's lease ran out) for one relay, in one statement that
    /// commits at once: publishing happens outside any database transaction, and the lease, not a lock, keeps the
    /// rows this relay's. SKIP LOCKED lets two replicas claiming at the same moment take different rows.
    /// </summary>
    private const string ClaimSqlPostgres = """
        UPDATE outbox_messages SET claimed_by = @Claimant, claimed_until = @Until
        WHERE sequence IN (
            SELECT sequence FROM outbox_messages
            WHERE sent_at IS NULL AND (claimed_until IS NULL OR claimed_until < @Now)
            ORDER BY sequence LIMIT @Limit
            FOR UPDATE SKIP LOCKED)
        RETURNING sequence AS Sequence, message_id AS MessageId, message_name AS MessageName, message_type AS MessageType,
                  body AS Body, trace_parent AS TraceParent, attempts AS Attempts
        """;

    /// <summary>SQLite has one writer at a time: the claiming UPDATE itself keeps two relays apart.</summary>
    private const string ClaimSqlSqlite = """
        UPDATE outbox_messages SET claimed_by = @Claimant, claimed_until = @Until
        WHERE sequence IN (
            SELECT sequence FROM outbox_messages
            WHERE sent_at IS NULL AND (claimed_until IS NULL OR claimed_until < @Now)
            ORDER BY sequence LIMIT @Limit)
        RETURNING sequence AS Sequence, message_id AS MessageId, message_name AS MessageName, message_type AS MessageType,
                  body AS Body, trace_parent AS TraceParent, attempts AS Attempts
        """;

    /// <summary>READPAST skips rows another relay is claiming at this moment, UPDLOCK keeps two from taking the same row.</summary>
    private const string ClaimSqlSqlServer = """
        WITH batch AS (
            SELECT TOP (@Limit) sequence, message_id, message_name, message_type, body, trace_parent, attempts,
                   claimed_by, claimed_until
            FROM outbox_messages WITH (UPDLOCK, READPAST, ROWLOCK)
            WHERE sent_at IS NULL AND (claimed_until IS NULL OR claimed_until < @Now)
            ORDER BY sequence)
        UPDATE batch SET claimed_by = @Claimant, claimed_until = @Until
        OUTPUT inserted.sequence AS Sequence, inserted.message_id AS MessageId, inserted.message_name AS MessageName,
               inserted.message_type AS MessageType, inserted.body AS Body, inserted.trace_parent AS TraceParent,
               inserted.attempts AS Attempts;
        """;

    /// <summary>A whole confirmed batch in one statement (Dapper expands the list; on PostgreSQL it sends an array).</summary>
    private const string MarkSentSql = """
        UPDATE outbox_messages SET sent_at = @SentAt, claimed_by = NULL, claimed_until = NULL WHERE sequence IN @Sequences
        """;

    private const string MarkSentSqlPostgres = """
        UPDATE outbox_messages SET sent_at = @SentAt, claimed_by = NULL, claimed_until = NULL WHERE sequence = ANY(@Sequences)
        """;

    /// <summary>A failed publish frees its row at once: the next pass (after the back-off) tries it again.</summary>
    public const string MarkFailedSql = """
        UPDATE outbox_messages SET attempts = attempts + 1, last_error = @Error, claimed_by = NULL, claimed_until = NULL
        WHERE sequence = @Sequence
        """;

    /// <summary>Rows a stopping relay did not get to: free for another replica now rather than when the lease ends.</summary>
    private const string ReleaseSql = """
        UPDATE outbox_messages SET claimed_by = NULL, claimed_until = NULL
        WHERE sequence IN @Sequences AND claimed_by = @Claimant AND sent_at IS NULL
        """;

    private const string ReleaseSqlPostgres = """
        UPDATE outbox_messages SET claimed_by = NULL, claimed_until = NULL
        WHERE sequence = ANY(@Sequences) AND claimed_by = @Claimant AND sent_at IS NULL
        """;

    public const string DeadLetterSql = """
        INSERT INTO outbox_dead_letters
            (sequence, message_id, message_name, message_type, body, trace_parent, created_at, attempts, dead_at, reason)
        SELECT sequence, message_id, message_name, message_type, body, trace_parent, created_at, attempts, @DeadAt, @Reason
        FROM outbox_messages WHERE sequence = @Sequence
        """;

    public const string DeleteSql = "DELETE FROM outbox_messages WHERE sequence = @Sequence";

    /// <summary>What an operator watches: messages waiting, since when, and rows set aside.</summary>
    public const string StatusSql = """
        SELECT (SELECT COUNT(*) FROM outbox_messages WHERE sent_at IS NULL) AS Pending,
               (SELECT MIN(created_at) FROM outbox_messages WHERE sent_at IS NULL) AS OldestPendingAt,
               (SELECT COUNT(*) FROM outbox_dead_letters) AS DeadLetters
        """;

    /// <summary>Bounded deletes, so pruning a long backlog never holds a long lock or a huge transaction.</summary>
    private const string PruneOutboxSqlLimit = """
        DELETE FROM outbox_messages WHERE sequence IN (
            SELECT sequence FROM outbox_messages WHERE sent_at < @Before ORDER BY sent_at LIMIT @Limit)
        """;

    private const string PruneOutboxSqlSqlServer = "DELETE TOP (@Limit) FROM outbox_messages WHERE sent_at < @Before";

    private const string PruneInboxSqlLimit = """
        DELETE FROM inbox_messages WHERE received_at < @Before AND message_id IN (
            SELECT message_id FROM inbox_messages WHERE received_at < @Before ORDER BY received_at LIMIT @Limit)
        """;

    private const string PruneInboxSqlSqlServer = "DELETE TOP (@Limit) FROM inbox_messages WHERE received_at < @Before";

    public static string Claim(SqlDialect dialect) => dialect switch
    {
        SqlDialect.SqlServer => ClaimSqlSqlServer,
        SqlDialect.PostgreSql => ClaimSqlPostgres,
        _ => ClaimSqlSqlite,
    };

    public static string MarkSent(SqlDialect dialect) => dialect == SqlDialect.PostgreSql ? MarkSentSqlPostgres : MarkSentSql;

    public static string Release(SqlDialect dialect) => dialect == SqlDialect.PostgreSql ? ReleaseSqlPostgres : ReleaseSql;

    public static string PruneOutbox(SqlDialect dialect) =>
        dialect == SqlDialect.SqlServer ? PruneOutboxSqlSqlServer : PruneOutboxSqlLimit;

    public static string PruneInbox(SqlDialect dialect) =>
        dialect == SqlDialect.SqlServer ? PruneInboxSqlSqlServer : PruneInboxSqlLimit;
}

internal sealed class OutboxRow
{
    public long Sequence { get; init; }
    public Guid MessageId { get; init; }
    public string? MessageName { get; init; }
    public string MessageType { get; init; } = "";
    public string Body { get; init; } = "";
    public string? TraceParent { get; init; }
    public int Attempts { get; init; }
}
