namespace Permits.Shared.Messaging;

/// <summary>
/// The inbox's statement (<see cref="InboxConsumer{TService, TMessage}"/>): the message is recorded for its consumer
/// unless a row for it exists; the unique index ux_inbox_message keeps two concurrent deliveries apart as well.
/// </summary>
public static class InboxSql
{
    public const string RecordSql = """
        INSERT INTO inbox_messages (message_id, message_name, consumer, received_at)
        SELECT @MessageId, @MessageName, @Consumer, @ReceivedAt
        WHERE NOT EXISTS (
            SELECT 1 FROM inbox_messages
            WHERE message_id = @MessageId
              AND (message_name = @MessageName OR (message_name IS NULL AND consumer = @Consumer)))
        """;
}
