using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Permits.Shared.Hosting;

/// <summary>
/// Behind a TLS-terminating ingress a request arrives as plain HTTP from the proxy: without its
/// <c>X-Forwarded-Proto</c>, Identity's OpenID Connect server refuses it ("only accepts HTTPS", ID2083) and the sign-in
/// limits count the proxy instead of the client. <c>ForwardedHeaders:Enabled=true</c> honours <c>X-Forwarded-Proto</c>
/// and <c>X-Forwarded-For</c> from the proxies in <c>ForwardedHeaders:KnownNetworks</c> (comma-separated CIDRs, e.g.
/// the cluster's pod network) and <c>ForwardedHeaders:KnownProxies</c> (addresses); loopback is always trusted. It
/// runs first in the pipeline (a startup filter), before authentication reads the scheme.
/// </summary>
internal static class ForwardedHeaders
{
    public static void Configure(WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("ForwardedHeaders");
        if (!section.GetValue<bool>("Enabled"))
        {
            return;
        }

        var networks = Split(section["KnownNetworks"]).Select(System.Net.IPNetwork.Parse).ToList();
        var proxies = Split(section["KnownProxies"]).Select(IPAddress.Parse).ToList();
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor
                                       | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto;
            foreach (var network in networks)
            {
                options.KnownIPNetworks.Add(network);
            }

            foreach (var proxy in proxies)
            {
                options.KnownProxies.Add(proxy);
            }
        });
        builder.Services.AddTransient<IStartupFilter, FirstInPipeline>();
    }

    private static IEnumerable<string> Split(string? list) =>
        (list ?? "").Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private sealed class FirstInPipeline : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseForwardedHeaders();
            next(app);
        };
    }
}
