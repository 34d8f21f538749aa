using MassTransit;
using Permits.Contracts.Disclosure;
using Permits.Disclosure.Features;
using Permits.Shared.Data;

namespace Permits.Disclosure.Consumers;

/// <summary>
/// Appends each record to the log, strictly one at a time in queue order (so one case's steps keep the order their
/// services emitted them in). Idempotent by record id, the id senders use as the message id: a redelivered record
/// changes nothing.
/// </summary>
public sealed class DisclosureRecordedConsumer(ServiceDatabase<DisclosureModule> database, AppendRecords append)
    : IConsumer<DisclosureRecorded>
{
    public async Task Consume(ConsumeContext<DisclosureRecorded> context)
    {
        await using var session = await database.BeginAsync(context.CancellationToken);
        await append.AppendAsync(session, [context.Message]);
        await session.CommitAsync(context.CancellationToken);
        append.Committed();
    }
}

/// <summary>
/// One message at a time (the log's order is part of its meaning), but many prefetched, so the next record is already
/// here when the last one commits instead of costing a broker round trip each.
/// </summary>
public sealed class DisclosureRecordedConsumerDefinition : ConsumerDefinition<DisclosureRecordedConsumer>
{
    public const int Prefetch = 1000;

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<DisclosureRecordedConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = Prefetch;
        endpointConfigurator.ConcurrentMessageLimit = 1;
    }
}
