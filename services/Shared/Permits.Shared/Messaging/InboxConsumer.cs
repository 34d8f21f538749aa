using Dapper;
using MassTransit;
using Microsoft.Extensions.Logging;
using Permits.Shared.Data;

namespace Permits.Shared.Messaging;

/// <summary>
/// A consumer whose effect happens at most once per message: the message's stable name
/// (<see cref="MessageNames"/>) and id are recorded in the service's inbox in the same transaction as the effect and the
/// messages it causes. A redelivered message finds its row and changes nothing. The key is the message, not the consumer
/// class, so renaming a consumer does not run its effects again; hence a service has one consumer per message type
/// (<see cref="ServiceConsumers{TService}"/> refuses a second). Rows from before message names (<c>message_name</c>
/// null, keyed by the consumer's class name) still count for the consumer that wrote them.
/// </summary>
public abstract partial class InboxConsumer<TService, TMessage>(ServiceDatabase<TService> database, ILogger logger)
    : IConsumer<TMessage>
    where TService : IServiceModule
    where TMessage : class
{
    private static readonly string MessageName = MessageNames.Of(typeof(TMessage));

    /// <summary>The service's database, for <see cref="PrepareAsync"/>'s work of its own.</summary>
    protected ServiceDatabase<TService> Database { get; } = database;

    public async Task Consume(ConsumeContext<TMessage> context)
    {
        var messageId = context.MessageId
            ?? throw new InvalidOperationException($"{typeof(TMessage).Name} arrived without a MessageId.");
        var consumer = GetType().Name;

        await PrepareAsync(context.Message, context.CancellationToken);
        await using var session = await Database.BeginAsync(context.CancellationToken);
        var first = await session.Connection.ExecuteAsync(
            InboxSql.RecordSql,
            new { MessageId = messageId, MessageName, Consumer = consumer, ReceivedAt = DateTimeOffset.UtcNow },
            session.Transaction);
        if (first == 0)
        {
            LogDuplicate(logger, consumer, messageId);
            return;
        }

        await HandleAsync(context.Message, session, context.CancellationToken);
        await session.CommitAsync(context.CancellationToken);
    }

    /// <summary>
    /// Work before the message's transaction begins, done again for every delivery, redeliveries included, so it must
    /// change nothing that <see cref="HandleAsync"/> would not find and reuse: reserving a number the transaction will
    /// print (<see cref="Counters.ReserveAsync"/>), so the counter's lock is not held while it renders.
    /// </summary>
    protected virtual Task PrepareAsync(TMessage message, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Applies the message. Throwing rolls back everything, inbox row included, and the bus retries.</summary>
    protected abstract Task HandleAsync(TMessage message, DbSession session, CancellationToken cancellationToken);

    /// <summary>A redelivery, expected after every broker or consumer restart: Debug, not a line per message at Information.</summary>
    [LoggerMessage(LogLevel.Debug, "{Consumer} already handled message {MessageId}; skipped")]
    private static partial void LogDuplicate(ILogger logger, string consumer, Guid messageId);
}

/// <summary>What consumer classes say about their inbox.</summary>
public static class InboxConsumers
{
    /// <summary>The message an <see cref="InboxConsumer{TService, TMessage}"/> handles, or null for any other consumer.</summary>
    public static Type? MessageOf(Type consumer)
    {
        for (var type = consumer.BaseType; type is not null; type = type.BaseType)
        {
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(InboxConsumer<,>))
            {
                return type.GetGenericArguments()[1];
            }
        }

        return null;
    }
}
