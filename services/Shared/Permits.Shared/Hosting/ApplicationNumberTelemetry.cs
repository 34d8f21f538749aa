using System.Diagnostics.Metrics;
using System.Reflection;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Core.Interceptors;
using MassTransit;

namespace Permits.Shared.Hosting;

/// <summary>
/// Marks a gRPC call with the case it is about, without a line in any service: a request that names an application
/// number marks the call before the handler runs (so its database spans carry it), an answer that names one (a submit,
/// an officer's step on a case) marks the call's span when it returns.
/// </summary>
public sealed class ApplicationNumberInterceptor : Interceptor
{
    private const string Field = "application_number";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        PermitsTelemetry.ForApplication(Read(request));
        var response = await continuation(request, context);
        PermitsTelemetry.ForApplication(Read(response));
        return response;
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        PermitsTelemetry.ForApplication(Read(request));
        return continuation(request, responseStream, context);
    }

    private static string? Read(object? message) =>
        message is IMessage { Descriptor: var descriptor } protobuf
        && descriptor.FindFieldByName(Field) is { FieldType: FieldType.String, IsRepeated: false } field
            ? field.Accessor.GetValue(protobuf) as string
            : null;
}

/// <summary>
/// Marks every consumed and published message that carries an <c>ApplicationNumber</c> (most contracts do) with its
/// case, and measures consumers: how long a message waited before its consumer took it (lag) and how many failed.
/// </summary>
public sealed class MessageTelemetry : IConsumeObserver, IPublishObserver
{
    private static readonly Histogram<double> Lag = PermitsTelemetry.Meter.CreateHistogram<double>(
        "permits.consumer.lag", "s", "Time from a message being sent to its consumer starting on it.", tags: null,
        new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600] });

    private static readonly Counter<long> Consumed = PermitsTelemetry.Meter.CreateCounter<long>(
        "permits.consumer.messages", "{message}", "Messages consumers finished, by message type.");

    private static readonly Counter<long> Faults = PermitsTelemetry.Meter.CreateCounter<long>(
        "permits.consumer.errors", "{message}", "Consumer attempts that threw, by message type (retries count each time).");

    private readonly TimeProvider time;

    public MessageTelemetry(TimeProvider time) => this.time = time;

    public Task PreConsume<T>(ConsumeContext<T> context) where T : class
    {
        PermitsTelemetry.ForApplication(ApplicationNumberOf<T>.Read(context.Message));
        if (context.SentTime is { } sent)
        {
            var waited = time.GetUtcNow() - new DateTimeOffset(DateTime.SpecifyKind(sent, DateTimeKind.Utc));
            Lag.Record(Math.Max(0, waited.TotalSeconds), new KeyValuePair<string, object?>("message_type", typeof(T).Name));
        }

        return Task.CompletedTask;
    }

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class
    {
        Consumed.Add(1, new KeyValuePair<string, object?>("message_type", typeof(T).Name));
        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class
    {
        Faults.Add(1, new KeyValuePair<string, object?>("message_type", typeof(T).Name));
        return Task.CompletedTask;
    }

    public Task PrePublish<T>(PublishContext<T> context) where T : class
    {
        PermitsTelemetry.ForApplication(ApplicationNumberOf<T>.Read(context.Message));
        return Task.CompletedTask;
    }

    public Task PostPublish<T>(PublishContext<T> context) where T : class => Task.CompletedTask;

    public Task PublishFault<T>(PublishContext<T> context, Exception exception) where T : class => Task.CompletedTask;

    /// <summary>The message type's <c>ApplicationNumber</c> string property, looked up once per type.</summary>
    private static class ApplicationNumberOf<T>
    {
        private static readonly PropertyInfo? Property =
            typeof(T).GetProperty("ApplicationNumber", BindingFlags.Public | BindingFlags.Instance) is { PropertyType: var type } found
            && type == typeof(string)
                ? found
                : null;

        public static string? Read(T message) => Property?.GetValue(message) as string;
    }
}
