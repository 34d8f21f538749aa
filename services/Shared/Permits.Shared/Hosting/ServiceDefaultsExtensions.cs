using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
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

        TelemetryDefaults.Add(builder);
        ForwardedHeaders.Configure(builder);

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
            options.Interceptors.Add<ApplicationNumberInterceptor>();
        }).AddJsonTranscoding(options =>
            options.TypeRegistry = Google.Protobuf.Reflection.TypeRegistry.FromMessages(
                Google.Rpc.BadRequest.Descriptor, Google.Rpc.RetryInfo.Descriptor, Google.Rpc.ErrorInfo.Descriptor,
                Google.Rpc.PreconditionFailure.Descriptor));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(_ =>
            WorkingDayCalendar.LoadEmbedded().ProvisionalFrom(builder.Configuration.GetValue<int?>("Calendar:ProvisionalFrom")));
        builder.Services.AddSingleton(_ => CountyDirectory.LoadEmbedded());
        return builder;
    }

    /// <summary>Refuses development defaults in Production (<see cref="ProductionGuard"/>), then maps health and the request log.</summary>
    public static WebApplication MapServiceDefaults(this WebApplication app)
    {
        ProductionGuard.Enforce(app);
        app.UseMiddleware<RequestLog>();
        KestrelEndpoints.AddAddresses(app);
        app.UseUnreadableRequestAnswers();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = check => check.Tags.Contains("live") });
        app.MapHealthChecks("/health/ready");
        return app;
    }
}
