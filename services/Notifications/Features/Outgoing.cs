using System.Text.Json;
using Permits.Notifications.Domain;
using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Notifications.Features;

/// <summary>
/// Queues one message about an application in the consumer's transaction: the sender renders and sends it. Keyed by
/// the event (<paramref name="eventKey"/>) and template, so the same event, however often it arrives, queues one message.
/// </summary>
public static class Outgoing
{
    // VALUES with a NOT EXISTS guard would need INSERT … SELECT, which PostgreSQL cannot type from NULL parameters;
    // every parameter here is set, so INSERT … SELECT is fine. A concurrent duplicate fails on the unique key and
    // the bus retries it as a no-op.
    private const string InsertSql = """
        INSERT INTO notification_messages (id, event_key, template, application_id, parameters, status, attempts, created_at, next_attempt_at)
        SELECT @Id, @EventKey, @Template, @ApplicationId, @Parameters, @Status, 0, @CreatedAt, @CreatedAt
        WHERE NOT EXISTS (SELECT 1 FROM notification_messages WHERE event_key = @EventKey AND template = @Template)
        """;

    /// <param name="eventKey">What names the event for good: its document number, shipment, certificate version …</param>
    public static Task QueueAsync(
        DbSession session, string template, Guid applicationId, Guid eventKey, IReadOnlyDictionary<string, string> parameters, DateTimeOffset now) =>
        session.ExecuteAsync(InsertSql, new
        {
            Id = DeterministicGuid.Create(eventKey, template),
            EventKey = eventKey,
            Template = template,
            ApplicationId = applicationId,
            Parameters = JsonSerializer.Serialize(parameters),
            Status = MessageStatus.Pending,
            CreatedAt = now,
        });

    public static IReadOnlyDictionary<string, string> ParametersOf(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];
}
