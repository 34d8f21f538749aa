using System.Diagnostics;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Permits.Benchmarks;

/// <summary>
/// What the broker can carry without the services: persistent 600-byte messages to a durable queue with publisher
/// confirms (a window of confirms outstanding, as a batching relay keeps), consumed and acknowledged by a consumer on
/// its own connection. The ceiling the pipeline's message rate is measured against.
/// </summary>
public static class BrokerCeiling
{
    private const int Window = 500;

    /// <returns>Messages a second, published, confirmed and consumed.</returns>
    public static async Task<double> MessagesPerSecondAsync(string amqp, int messages) =>
        messages / (await PublishAndConsumeAsync(amqp, messages, queues: 1, throughExchange: false)).TotalSeconds;

    /// <summary>
    /// Publishes <paramref name="messages"/> as above and waits until every copy is consumed and acknowledged: straight
    /// to one queue (the default exchange), or <paramref name="throughExchange"/> to a fan-out exchange bound to
    /// <paramref name="queues"/> durable queues (as a published event reaches each service that consumes it), each
    /// drained by a consumer of its own channel on the consumers' connection. Deletes what it declared.
    /// </summary>
    /// <param name="window">Publishes outstanding at once, their confirms awaited together; 1 awaits each message's confirm before the next.</param>
    /// <returns>The time from the first publish to the last acknowledgement.</returns>
    public static async Task<TimeSpan> PublishAndConsumeAsync(string amqp, int messages, int queues, bool throughExchange, int window = Window)
    {
        if (queues != 1 && !throughExchange)
        {
            throw new ArgumentException("Only an exchange routes one message to several queues.", nameof(queues));
        }

        var factory = new ConnectionFactory { Uri = new Uri(amqp) };
        await using var publisherConnection = await factory.CreateConnectionAsync();
        await using var consumerConnection = await factory.CreateConnectionAsync();
        await using var publisher = await publisherConnection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var name = "broker-ceiling-" + Guid.NewGuid().ToString("N")[..8];
        var exchange = throughExchange ? name : "";
        if (throughExchange)
        {
            await publisher.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
        }

        var queueNames = Enumerable.Range(0, queues).Select(i => queues == 1 ? name : $"{name}-{i}").ToList();
        var received = 0;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumers = new List<IChannel>();
        try
        {
            foreach (var queue in queueNames)
            {
                await publisher.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
                if (throughExchange)
                {
                    await publisher.QueueBindAsync(queue, exchange, "");
                }

                var consumer = await consumerConnection.CreateChannelAsync();
                consumers.Add(consumer);
                await consumer.BasicQosAsync(0, 200, false);
                var handler = new AsyncEventingBasicConsumer(consumer);
                handler.ReceivedAsync += async (_, delivery) =>
                {
                    await consumer.BasicAckAsync(delivery.DeliveryTag, multiple: false);
                    if (Interlocked.Increment(ref received) == messages * queues)
                    {
                        done.TrySetResult();
                    }
                };
                await consumer.BasicConsumeAsync(queue, autoAck: false, handler);
            }

            var body = new byte[600];
            Random.Shared.NextBytes(body);
            var properties = new BasicProperties { Persistent = true, ContentType = "application/octet-stream" };
            var routingKey = throughExchange ? "" : name;
            var clock = Stopwatch.StartNew();
            for (var sent = 0; sent < messages; sent += window)
            {
                var confirms = Enumerable.Range(0, Math.Min(window, messages - sent))
                    .Select(_ => publisher.BasicPublishAsync(exchange, routingKey, true, properties, body).AsTask())
                    .ToList();
                await Task.WhenAll(confirms);
            }

            await done.Task.WaitAsync(TimeSpan.FromMinutes(2));
            return clock.Elapsed;
        }
        finally
        {
            foreach (var consumer in consumers)
            {
                await consumer.DisposeAsync();
            }

            foreach (var queue in queueNames)
            {
                await publisher.QueueDeleteAsync(queue);
            }

            if (throughExchange)
            {
                await publisher.ExchangeDeleteAsync(exchange);
            }
        }
    }
}
