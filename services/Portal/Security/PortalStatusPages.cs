using Microsoft.AspNetCore.Diagnostics;

namespace Permits.Portal.Security;

/// <summary>
/// A person's browser never gets an empty error: an unknown address (404), a page their role cannot use (403) and a
/// failure nobody handled (500) answer with a page in the site's layout, in Chinese, with the way home (and, for a
/// failure, the request id support can find in the logs). Empty error statuses get the page only for browsers
/// (requests that accept HTML): the APIs and gRPC services that share the embedded host keep their own answers.
/// </summary>
public static class PortalStatusPages
{
    public const string PathFormat = "/status/{0}";

    /// <summary>The cookie handler's access-denied page (it adds <c>ReturnUrl</c>, the page that was refused).</summary>
    public const string DeniedPath = "/status/403";

    public const string ErrorPath = "/status/500";

    public static WebApplication UsePortalStatusPages(this WebApplication app)
    {
        // On the application itself, not a UseWhen branch: a branch has no routes, and the re-executed request must be
        // routed to the status page again.
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandlingPath = ErrorPath });
        app.UseStatusCodePagesWithReExecute(PathFormat);
        app.Use((context, next) =>
        {
            if (!IsBrowserPage(context) && context.Features.Get<IStatusCodePagesFeature>() is { } statusPages)
            {
                statusPages.Enabled = false;
            }

            return next(context);
        });
        return app;
    }

    private static bool IsBrowserPage(HttpContext context) =>
        context.Request.Headers.Accept.Any(value => value?.Contains("text/html", StringComparison.OrdinalIgnoreCase) == true)
        && !context.Request.Headers.ContentType.Any(value => value?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true);
}
