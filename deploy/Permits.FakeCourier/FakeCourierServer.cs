using System.Text.Encodings.Web;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Permits.FakeCourier;

/// <summary>
/// A fake courier company (顺丰-like) with a real HTTP API: book a shipment, read its tracking events, redeliver or return
/// it after a failed attempt; signed tracking webhooks; switchable faults (/admin/faults). State lives in
/// memory. <see cref="Build"/> returns an unstarted application, so a process may host it in-process
/// (<c>await app.StartAsync()</c>) or on its own (<c>Run()</c>).
/// </summary>
public static class FakeCourierServer
{
    public static WebApplication Build(string url, FakeCourierOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(url);
        ArgumentNullException.ThrowIfNull(options);

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(FakeCourierServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });

        // A third party shares nothing with whoever hosts it: drop the host's configuration (its Kestrel endpoints,
        // urls, logging levels) and listen only where we were told.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = url,
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        });
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.ConfigureEndpointDefaults(listen => listen.Protocols = HttpProtocols.Http1));

        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            json.SerializerOptions.Encoder = JavaScriptEncoder.Create(UnicodeRanges.All);
        });
        builder.Services.AddProblemDetails();
        builder.Services.AddHealthChecks();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(options.Time);
        builder.Services.AddSingleton<FaultSwitch>();
        builder.Services.AddSingleton<ShipmentLedger>();
        builder.Services.AddHostedService<WebhookSender>();

        var app = builder.Build();
        app.UseApiFaults();
        app.MapHealthChecks("/health/live");
        app.MapHealthChecks("/health/ready");
        app.MapShipmentEndpoints();
        app.MapAdminEndpoints();
        return app;
    }
}
