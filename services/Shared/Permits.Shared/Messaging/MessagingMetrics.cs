using System.Diagnostics.Metrics;

namespace Permits.Shared.Messaging;

/// <summary>
/// The outbox's own counters, on the meter <see cref="MeterName"/> (add it to the metrics pipeline). Each is tagged
/// with the service. An operator alerts on <c>permits.outbox.dead_lettered</c>: every increment is a message that will
/// not leave until someone looks at <c>outbox_dead_letters</c>. Backlog size and age are read from the database with
/// <see cref="OutboxStatus"/>.
/// </summary>
public static class MessagingMetrics
{
    public const string MeterName = "Permits.Messaging";

    public static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> Published = Meter.CreateCounter<long>(
        "permits.outbox.published", "{message}", "Outbox messages confirmed by the broker");

    public static readonly Counter<long> DeadLettered = Meter.CreateCounter<long>(
        "permits.outbox.dead_lettered", "{message}", "Outbox rows that could not be read and moved to outbox_dead_letters");

    public static readonly Counter<long> PublisherRenewals = Meter.CreateCounter<long>(
        "permits.outbox.publisher_renewals", "{renewal}",
        "New connections the outbox relays opened because the broker stopped confirming their publishes (see RabbitMqOutboxPublisher)");

    public static readonly Counter<long> Pruned = Meter.CreateCounter<long>(
        "permits.messaging.pruned", "{row}", "Sent outbox rows and old inbox rows deleted after their retention period");
}
