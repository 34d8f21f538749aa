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
    public static async Task<double> MessagesPerSecondAsync(string amqp, int messages)
    {
        var factory = new ConnectionFactory { Uri = new Uri(amqp) };
        await using var publisherConnection = await factory.CreateConnectionAsync();
        await using var consumerConnection = await factory.CreateConnectionAsync();
        await using var publisher = await publisherConnection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        await using var consumer = await consumerConnection.CreateChannelAsync();
        var queue = "broker-ceiling-" + Guid.NewGuid().ToString("N")[..8];
        await publisher.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        await consumer.BasicQosAsync(0, 200, false);

        var received = 0;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new AsyncEventingBasicConsumer(consumer);
        handler.ReceivedAsync += async (_, delivery) =>
        {
            await consumer.BasicAckAsync(delivery.DeliveryTag, multiple: false);
            if (Interlocked.Increment(ref received) == messages)
            {
                done.TrySetResult();
            }
        };
        await consumer.BasicConsumeAsync(queue, autoAck: false, handler);

        var body = new byte[600];
        Random.Shared.NextBytes(body);
        var properties = new BasicProperties { Persistent = true, ContentType = "application/octet-stream" };
        var clock = Stopwatch.StartNew();
        for (var sent = 0; sent < messages; sent += Window)
        {
            var confirms = Enumerable.Range(0, Math.Min(Window, messages - sent))
                .Select(_ => publisher.BasicPublishAsync("", queue, true, properties, body).AsTask())
                .ToList();
            await Task.WhenAll(confirms);
        }

        await done.Task.WaitAsync(TimeSpan.FromMinutes(2));
        var rate = messages / clock.Elapsed.TotalSeconds;
        await publisher.QueueDeleteAsync(queue);
        return rate;
    }
}
