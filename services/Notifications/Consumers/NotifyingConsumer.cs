using Permits.Notifications.Features;
using Permits.Shared.Data;
using Permits.Shared.Messaging;

namespace Permits.Notifications.Consumers;

/// <summary>
/// An event the applicant is told about by one message, with the template named after the event. Each consumer says
/// which application, what names the event for good, and what fills the template.
/// </summary>
public abstract class NotifyingConsumer<TMessage>(ServiceDatabase<NotificationsModule> database, TimeProvider time, ILogger logger)
    : InboxConsumer<NotificationsModule, TMessage>(database, logger)
    where TMessage : class
{
    protected abstract Notice Of(TMessage message);

    /// <summary>What else the event changes here, in the same transaction (the licence copy, for an issued licence).</summary>
    protected virtual Task AlsoAsync(TMessage message, DbSession session, DateTimeOffset now) => Task.CompletedTask;

    protected sealed override async Task HandleAsync(TMessage message, DbSession session, CancellationToken cancellationToken)
    {
        var notice = Of(message);
        var now = time.GetUtcNow();
        await Outgoing.QueueAsync(session, typeof(TMessage).Name, notice.ApplicationId, notice.EventKey, notice.Parameters, now);
        await AlsoAsync(message, session, now);
    }
}

/// <param name="EventKey">Stable for the event whatever its delivery: its document number, shipment, certificate version …</param>
public sealed record Notice(Guid ApplicationId, Guid EventKey, IReadOnlyDictionary<string, string> Parameters);
