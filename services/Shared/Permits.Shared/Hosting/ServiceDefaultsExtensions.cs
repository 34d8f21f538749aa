using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Shared.Hosting;

/// <summary>What every Permits host gets: telemetry, health, resilient HTTP clients, gRPC, and the reference data.</summary>
public static class ServiceDefaultsExtensions
{
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder)
    {
        DbTypeHandlers.Register();

        KestrelEndpoints.Configure(builder);

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });
        var telemetry = builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentationIfPresent()
                .AddMeter("MassTransit"))
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName, PermitsTelemetry.SourceName, "MassTransit")
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !context.Request.Path.StartsWithSegments("/health"))
                .AddHttpClientInstrumentation());
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }

        builder.Services.AddSecurityHeaders();
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);

        // Every outgoing HTTP call (courier API, gRPC clients) gets timeouts, retries with jitter and a circuit breaker.
        builder.Services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());

        // rpcs annotated with google.api.http are also served as REST/JSON, for callers that cannot speak gRPC.
        // Transcoded errors carry their google.rpc details (field violations, retry-after, precondition failures) as
        // JSON; without the types registered, writing such an error fails and the caller gets a 500 instead.
        // The input policy runs inside the error interceptor, before any handler: one text policy for every rpc.
        builder.Services.AddGrpc(options =>
        {
            options.Interceptors.Add<GrpcErrorInterceptor>();
            options.Interceptors.Add<InputPolicyInterceptor>();
        }).AddJsonTranscoding(options =>
            options.TypeRegistry = Google.Protobuf.Reflection.TypeRegistry.FromMessages(
                Google.Rpc.BadRequest.Descriptor, Google.Rpc.RetryInfo.Descriptor, Google.Rpc.ErrorInfo.Descriptor,
                Google.Rpc.PreconditionFailure.Descriptor));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(_ => WorkingDayCalendar.LoadEmbedded());
        builder.Services.AddSingleton(_ => CountyDirectory.LoadEmbedded());
        return builder;
    }

    public static WebApplication MapServiceDefaults(this WebApplication app)
    {
        KestrelEndpoints.AddAddresses(app);
        app.UseUnreadableRequestAnswers();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = check => check.Tags.Contains("live") });
        app.MapHealthChecks("/health/ready");
        return app;
    }

    // Runtime metrics need a separate instrumentation package; keep the hook so adding it is one line.
    private static MeterProviderBuilder AddRuntimeInstrumentationIfPresent(this MeterProviderBuilder metrics) => metrics;
}
