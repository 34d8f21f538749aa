using Permits.Shared.Data;

namespace Permits.Shared.Messaging;

internal static class OutboxSql
{
    public const string InsertSql = """
        INSERT INTO outbox_messages (message_id, message_type, body, trace_parent, created_at, attempts)
        VALUES (@MessageId, @MessageType, @Body, @TraceParent, @CreatedAt, 0)
        """;

    private const string PendingSqlSqlite = """
        SELECT sequence AS Sequence, message_id AS MessageId, message_type AS MessageType, body AS Body,
               trace_parent AS TraceParent, attempts AS Attempts
        FROM outbox_messages WHERE sent_at IS NULL ORDER BY sequence LIMIT @Limit
        """;

    private const string PendingSqlPostgres = PendingSqlSqlite;

    private const string PendingSqlSqlServer = """
        SELECT TOP (@Limit) sequence AS Sequence, message_id AS MessageId, message_type AS MessageType, body AS Body,
               trace_parent AS TraceParent, attempts AS Attempts
        FROM outbox_messages WITH (READCOMMITTEDLOCK) WHERE sent_at IS NULL ORDER BY sequence
        """;

    public const string MarkSentSql = "UPDATE outbox_messages SET sent_at = @SentAt WHERE sequence = @Sequence";

    public const string MarkFailedSql = """
        UPDATE outbox_messages SET attempts = attempts + 1, last_error = @Error WHERE sequence = @Sequence
        """;

    public static string Pending(SqlDialect dialect) => dialect switch
    {
        SqlDialect.SqlServer => PendingSqlSqlServer,
        SqlDialect.PostgreSql => PendingSqlPostgres,
        _ => PendingSqlSqlite,
    };
}

internal sealed class OutboxRow
{
    public long Sequence { get; init; }
    public Guid MessageId { get; init; }
    public string MessageType { get; init; } = "";
    public string Body { get; init; } = "";
    public string? TraceParent { get; init; }
    public int Attempts { get; init; }
}
