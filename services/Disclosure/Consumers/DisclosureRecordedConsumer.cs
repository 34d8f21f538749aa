using MassTransit;
using Permits.Contracts.Disclosure;
using Permits.Disclosure.Workers;

namespace Permits.Disclosure.Consumers;

/// <summary>
/// Hands each record to the <see cref="AppendQueue"/>, which appends records in batches in delivery order, and returns
/// once the record's batch has committed (so the message is acknowledged only then). Idempotent by record id, the id
/// senders use as the message id: a redelivered record changes nothing.
/// </summary>
public sealed class DisclosureRecordedConsumer(AppendQueue queue) : IConsumer<DisclosureRecorded>
{
    public Task Consume(ConsumeContext<DisclosureRecorded> context) =>
        queue.AppendAsync(
            context.Message,
            context.TryGetPayload<ITransportSequenceNumber>(out var delivery) ? delivery.SequenceNumber : null,
            context.CancellationToken);
}

/// <summary>
/// On RabbitMQ, many messages in hand at once (twice a batch: the next batch gathers while the last one commits) and
/// many more prefetched, so the append queue is never starved by a broker round trip; the queue, not MassTransit,
/// keeps the order, by delivery number. Elsewhere, one at a time.
/// </summary>
public sealed class DisclosureRecordedConsumerDefinition : ConsumerDefinition<DisclosureRecordedConsumer>
{
    public const int Prefetch = 1000;
    public const int ConcurrentMessages = 2 * AppendQueue.BatchSize;

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<DisclosureRecordedConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator)
        {
            endpointConfigurator.PrefetchCount = Prefetch;
            endpointConfigurator.ConcurrentMessageLimit = ConcurrentMessages;
        }
        else
        {
            // A transport that numbers no deliveries (the embedded mode's in-memory bus): messages taken concurrently
            // would reach the queue in any order, so take them one at a time, in queue order.
            endpointConfigurator.ConcurrentMessageLimit = 1;
        }
    }
}
