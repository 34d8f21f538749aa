using System.Reflection;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Npgsql;
using Permits.Shared.Messaging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Permits.Shared.Hosting;

/// <summary>
/// Traces, metrics and logs of a Permits host. The process names itself (<c>service.name</c> from
/// <c>OTEL_SERVICE_NAME</c>, else its application: Permits.Review is <c>permits-review</c>; <c>service.version</c>;
/// <c>service.instance.id</c> = host name and process id, the pod's name in the cluster). Nothing leaves the process,
/// and no span, metric or log record is kept for it, unless <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (protocol from
/// <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, as the OpenTelemetry specification names them). In Production the console writes one JSON object a line, with a UTC
/// timestamp, the trace and span ids and the application number among its scopes.
/// </summary>
internal static class TelemetryDefaults
{
    public const string EndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// Log levels any configuration overrides: the framework's four lines per incoming request make way for
    /// <see cref="RequestLog"/>; outgoing calls (five lines each from HttpClient and the resilience pipeline) are in the
    /// traces and the http.client metrics, and log only what goes wrong. OpenIddict writes five lines at Information for
    /// every token request: at Warning it says only what failed. gRPC's server writes a line at Information for every
    /// call answered with a status other than OK — each NotFound of a case not there yet, each refused step — which
    /// the caller has and the request log counts; its errors stay (Error), as do <see cref="GrpcErrorInterceptor"/>'s.
    /// </summary>
    private static readonly Dictionary<string, string?> LogLevelDefaults = new()
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Warning",
        ["Logging:LogLevel:Polly"] = "Warning",
        ["Logging:LogLevel:OpenIddict"] = "Warning",
        ["Logging:LogLevel:Grpc"] = "Warning",
    };

    public static void Add(WebApplicationBuilder builder)
    {
        ((IConfigurationBuilder)builder.Configuration).Sources.Insert(0, new MemoryConfigurationSource { InitialData = LogLevelDefaults });

        // Every log line written inside a span carries its trace, and the case's application number from its baggage.
        builder.Logging.Configure(options => options.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId
            | ActivityTrackingOptions.Baggage);
        if (ProductionGuard.Applies(builder))
        {
            builder.Logging.AddJsonConsole(json =>
            {
                json.IncludeScopes = true;
                json.UseUtcTimestamp = true;
                json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                json.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Indented = false };
            });
        }

        // Without an endpoint nothing would leave the process, so nothing is recorded for it either: every message,
        // request and statement made a span (tags, the application-number processor), every log line an OpenTelemetry
        // record, every measurement an aggregate, all dropped unread. Spans are still created for propagation (the
        // sampler says drop, which keeps their ids): log lines carry the trace, the application number travels as
        // baggage, and the outbox stores the traceparent, as before.
        var exporting = !string.IsNullOrWhiteSpace(builder.Configuration[EndpointSetting]);
        if (exporting)
        {
            builder.Logging.AddOpenTelemetry(logging =>
            {
                logging.IncludeFormattedMessage = true;
                logging.IncludeScopes = true;
            });
        }

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(
                ServiceName(builder), serviceVersion: ServiceVersion(), serviceInstanceId: $"{Environment.MachineName}-{Environment.ProcessId}"))
            .WithTracing(tracing =>
            {
                tracing
                    .AddSource(builder.Environment.ApplicationName, PermitsTelemetry.SourceName, "MassTransit")
                    .AddProcessor(new PermitsTelemetry.ApplicationNumberProcessor())
                    .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsProbe(context.Request.Path))
                    .AddHttpClientInstrumentation()
                    .AddNpgsql()
                    .AddSqlClientInstrumentation();
                if (!exporting)
                {
                    tracing.SetSampler(new AlwaysOffSampler());
                }
            });
        if (exporting)
        {
            telemetry
                .WithMetrics(metrics => metrics
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    // .NET's own runtime and process meter: GC, heap, thread pool, exceptions, CPU time, working set.
                    .AddMeter("System.Runtime")
                    .AddNpgsqlInstrumentation()
                    // Permits.Messaging: the outbox's own counters (published, dead-lettered, pruned, publisher renewals).
                    .AddMeter("MassTransit", PermitsTelemetry.SourceName, MessagingMetrics.MeterName))
                .UseOtlpExporter();
        }

        builder.Services.AddConsumeObserver<MessageTelemetry>();
        builder.Services.AddPublishObserver<MessageTelemetry>();
        builder.Services.AddHostedService<OperationsMetrics>();
    }

    /// <summary>Health probes: no span, no request log line.</summary>
    public static bool IsProbe(PathString path) => path.StartsWithSegments("/health");

    /// <summary><c>OTEL_SERVICE_NAME</c>, else the application in kebab case: Permits.Review → permits-review.</summary>
    public static string ServiceName(WebApplicationBuilder builder) =>
        builder.Configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } configured
            ? configured
            : builder.Environment.ApplicationName.Replace('.', '-').ToLowerInvariant();

    private static string ServiceVersion()
    {
        var assembly = Assembly.GetEntryAssembly() ?? typeof(TelemetryDefaults).Assembly;
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                      ?? assembly.GetName().Version?.ToString() ?? "0.0.0";
        // The build appends +commit; keep it, it is what tells two builds of one version apart.
        return version;
    }
}

/// <summary>
/// One line per request (method, path, status, milliseconds), none for health probes: at Information only when it
/// failed on the server's side (5xx) or was slow (a second or more), what an operator acts on; every other request at
/// Debug, as each is already a span and a point of the http.server metrics. The framework's own four lines a request
/// are held at Warning by <see cref="TelemetryDefaults"/>.
/// </summary>
internal sealed partial class RequestLog(RequestDelegate next, ILogger<RequestLog> logger)
{
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(1);

    public async Task InvokeAsync(HttpContext context)
    {
        if (TelemetryDefaults.IsProbe(context.Request.Path) || !logger.IsEnabled(LogLevel.Information))
        {
            await next(context);
            return;
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
            var level = context.Response.StatusCode >= 500 || elapsed >= Slow ? LogLevel.Information : LogLevel.Debug;
            if (logger.IsEnabled(level))
            {
                LogRequest(logger, level, context.Request.Method, context.Request.Path.Value ?? "", context.Response.StatusCode,
                    elapsed.TotalMilliseconds);
            }
        }
    }

    [LoggerMessage("{Method} {Path} answered {StatusCode} in {ElapsedMs:0.0} ms")]
    private static partial void LogRequest(ILogger logger, LogLevel level, string method, string path, int statusCode, double elapsedMs);
}