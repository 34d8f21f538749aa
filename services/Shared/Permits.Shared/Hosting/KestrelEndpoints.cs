using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;

namespace Permits.Shared.Hosting;

/// <summary>
/// Without TLS, Kestrel cannot offer HTTP/1.1 and HTTP/2 on one port (no ALPN), yet browsers and probes speak
/// HTTP/1.1 and gRPC needs HTTP/2. So a host listens on its usual <c>urls</c> for HTTP/1.1 and, when
/// <c>Grpc:Url</c> is set, on that address for HTTP/2 (prior knowledge) too. Behind TLS one port serves both.
/// </summary>
internal static class KestrelEndpoints
{
    private const string DefaultUrls = "http://localhost:5000";

    /// <summary>Chooses each endpoint's protocol by its port.</summary>
    public static void Configure(WebApplicationBuilder builder)
    {
        var grpcPort = GrpcPort(builder.Configuration);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen =>
            listen.Protocols = grpcPort switch
            {
                null => HttpProtocols.Http1AndHttp2,
                _ when listen.IPEndPoint?.Port == grpcPort => HttpProtocols.Http2,
                _ => HttpProtocols.Http1,
            }));
    }

    /// <summary>Adds the gRPC address beside the HTTP ones, so the server binds both without overriding anything.</summary>
    public static void AddAddresses(WebApplication app)
    {
        var grpcUrl = app.Configuration["Grpc:Url"];
        if (string.IsNullOrWhiteSpace(grpcUrl))
        {
            return;
        }

        var urls = app.Configuration["urls"];
        foreach (var url in (string.IsNullOrWhiteSpace(urls) ? DefaultUrls : urls)
                     .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            app.Urls.Add(url);
        }

        app.Urls.Add(grpcUrl);
    }

    private static int? GrpcPort(IConfiguration configuration)
    {
        var grpcUrl = configuration["Grpc:Url"];
        if (string.IsNullOrWhiteSpace(grpcUrl))
        {
            return null;
        }

        var uri = new Uri(grpcUrl.Replace("://*", "://0.0.0.0").Replace("://+", "://0.0.0.0"));
        if (uri.Scheme != Uri.UriSchemeHttp || uri.Port == 0)
        {
            throw new InvalidOperationException(
                $"Grpc:Url must be an http:// address with a fixed port (got {grpcUrl}); behind TLS use one endpoint instead.");
        }

        return uri.Port;
    }
}
