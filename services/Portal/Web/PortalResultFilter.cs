using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Core.Infrastructure;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Permits.Portal.Web;

/// <summary>
/// What every portal response gets, including short-circuited ones: a friendly page instead of a bare 400 when the
/// antiforgery token is stale, and headers that keep pages with personal data out of caches and frames and forbid
/// any script (the portal needs none).
/// </summary>
public sealed class PortalResultFilter : IAlwaysRunResultFilter
{
    public void OnResultExecuting(ResultExecutingContext context)
    {
        if (context.Result is IAntiforgeryValidationFailedResult)
        {
            var metadata = context.HttpContext.RequestServices.GetRequiredService<IModelMetadataProvider>();
            context.Result = PortalProblem.FormExpired.ToResult(metadata, context.ModelState);
        }

        var headers = context.HttpContext.Response.Headers;
        // The same values antiforgery sets on form pages, so it need not override (and warn about) them.
        headers.CacheControl = "no-cache, no-store";
        headers.Pragma = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "same-origin";
        headers.ContentSecurityPolicy =
            "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    }

    public void OnResultExecuted(ResultExecutedContext context)
    {
    }
}
