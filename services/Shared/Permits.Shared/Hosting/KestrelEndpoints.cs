using System.Net;
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
    public static void Configure(WebApplicationBuilder builder)
    {
        var grpcUrl = builder.Configuration["Grpc:Url"];
        if (string.IsNullOrWhiteSpace(grpcUrl))
        {
            builder.WebHost.ConfigureKestrel(kestrel =>
                kestrel.ConfigureEndpointDefaults(listen => listen.Protocols = HttpProtocols.Http1AndHttp2));
            return;
        }

        var httpUrls = (builder.Configuration["urls"] ?? "http://127.0.0.1:5000")
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            foreach (var url in httpUrls)
            {
                Listen(kestrel, url, HttpProtocols.Http1);
            }

            Listen(kestrel, grpcUrl, HttpProtocols.Http2);
        });
        // The addresses above replace `urls`; clear it so Kestrel does not warn that it overrides them.
        builder.WebHost.UseSetting(WebHostDefaults.ServerUrlsKey, string.Empty);
    }

    private static void Listen(KestrelServerOptions kestrel, string url, HttpProtocols protocols)
    {
        var uri = new Uri(url.Replace("://*", "://0.0.0.0").Replace("://+", "://0.0.0.0"));
        if (uri.Scheme != Uri.UriSchemeHttp)
        {
            throw new InvalidOperationException($"Only http:// endpoints can be split by protocol; got {url}. Use TLS with one endpoint instead.");
        }

        if (uri.Host == "localhost")
        {
            kestrel.ListenLocalhost(uri.Port, listen => listen.Protocols = protocols);
        }
        else
        {
            kestrel.Listen(IPAddress.Parse(uri.Host), uri.Port, listen => listen.Protocols = protocols);
        }
    }
}
