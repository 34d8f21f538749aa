using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Permits.Shared.Hosting;

/// <summary>
/// Headers every answer of every host carries: pages, REST/JSON (gRPC transcoding), problem details, errors and the
/// 404 of an unknown URL. Set when the response starts, so a page that set a stricter policy of its own (the Portal's
/// pages, Identity's sign-in pages) keeps it; everything else gets a policy that loads nothing and cannot be framed.
/// HSTS only over HTTPS (directly or as forwarded by the ingress): on plain-HTTP loopback setups it would mislead.
/// Added as a startup filter, so it runs first: before the authentication middleware WebApplication adds on its own,
/// where OpenIddict answers its endpoints (discovery, errors) without going further down the pipeline.
/// </summary>
public static class SecurityHeaders
{
    public static IServiceCollection AddSecurityHeaders(this IServiceCollection services) =>
        services.AddSingleton<IStartupFilter, StartupFilter>();

    public const string DefaultContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(static state =>
        {
            var http = (HttpContext)state;
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            if (string.IsNullOrEmpty(headers.ContentSecurityPolicy))
            {
                headers.ContentSecurityPolicy = DefaultContentSecurityPolicy;
            }

            if (string.IsNullOrEmpty(headers.XFrameOptions))
            {
                headers.XFrameOptions = "DENY";
            }

            if (string.IsNullOrEmpty(headers["Referrer-Policy"]))
            {
                headers["Referrer-Policy"] = "same-origin";
            }

            if (http.Request.IsHttps)
            {
                headers.StrictTransportSecurity = "max-age=31536000";
            }

            return Task.CompletedTask;
        }, context);
        return next(context);
    });

    private sealed class StartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseSecurityHeaders();
            next(app);
        };
    }
}
