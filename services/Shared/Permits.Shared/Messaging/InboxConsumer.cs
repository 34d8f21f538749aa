using Dapper;
using MassTransit;
using Microsoft.Extensions.Logging;
using Permits.Shared.Data;

namespace Permits.Shared.Messaging;

/// <summary>
/// A consumer whose effect happens at most once per message id: the id is recorded in the service's inbox in the
/// same transaction as the effect and the messages it causes. A redelivered message finds its id and changes nothing.
/// </summary>
public abstract partial class InboxConsumer<TService, TMessage>(ServiceDatabase<TService> database, ILogger logger)
    : IConsumer<TMessage>
    where TService : IServiceModule
    where TMessage : class
{
    private const string RecordSql = """
        INSERT INTO inbox_messages (message_id, consumer, received_at)
        SELECT @MessageId, @Consumer, @ReceivedAt
        WHERE NOT EXISTS (SELECT 1 FROM inbox_messages WHERE message_id = @MessageId AND consumer = @Consumer)
        """;

    public async Task Consume(ConsumeContext<TMessage> context)
    {
        var messageId = context.MessageId
            ?? throw new InvalidOperationException($"{typeof(TMessage).Name} arrived without a MessageId.");
        var consumer = GetType().Name;

        await using var session = await database.BeginAsync(context.CancellationToken);
        var first = await session.Connection.ExecuteAsync(
            RecordSql,
            new { MessageId = messageId, Consumer = consumer, ReceivedAt = DateTimeOffset.UtcNow },
            session.Transaction);
        if (first == 0)
        {
            LogDuplicate(logger, consumer, messageId);
            return;
        }

        await HandleAsync(context.Message, session, context.CancellationToken);
        await session.CommitAsync(context.CancellationToken);
    }

    /// <summary>Applies the message. Throwing rolls back everything, inbox row included, and the bus retries.</summary>
    protected abstract Task HandleAsync(TMessage message, DbSession session, CancellationToken cancellationToken);

    [LoggerMessage(LogLevel.Information, "{Consumer} already handled message {MessageId}; skipped")]
    private static partial void LogDuplicate(ILogger logger, string consumer, Guid messageId);
}
