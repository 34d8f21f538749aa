using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Permits.Portal.Web;

/// <summary>
/// What a page did not handle itself becomes the friendly error page: a back end that is down or slow says so; anything
/// else is logged with its context and shown as a general error. Pages handle the statuses a person can act on
/// (INVALID_ARGUMENT, NOT_FOUND, FAILED_PRECONDITION) where they happen.
/// </summary>
public sealed partial class PortalExceptionFilter(IModelMetadataProvider metadata, ILogger<PortalExceptionFilter> logger) : IExceptionFilter
{
    public void OnException(ExceptionContext context)
    {
        var http = context.HttpContext;
        if (http.RequestAborted.IsCancellationRequested)
        {
            // The browser went away; nobody will read a page.
            context.Result = new EmptyResult();
            context.ExceptionHandled = true;
            return;
        }

        PortalProblem problem;
        if (context.Exception is RpcException { StatusCode: StatusCode.Unavailable or StatusCode.DeadlineExceeded } unavailable)
        {
            LogBackendUnavailable(logger, unavailable.StatusCode, http.Request.Path);
            problem = PortalProblem.Unavailable;
        }
        else if (context.Exception is RpcException { StatusCode: StatusCode.NotFound })
        {
            problem = PortalProblem.NotFound;
        }
        else
        {
            LogUnexpected(logger, context.Exception, http.Request.Method, http.Request.Path);
            problem = PortalProblem.Unexpected;
        }

        context.Result = problem.ToResult(metadata, context.ModelState);
        context.ExceptionHandled = true;
    }

    [LoggerMessage(LogLevel.Warning, "A back-end service was unavailable ({StatusCode}) for {Path}")]
    private static partial void LogBackendUnavailable(ILogger logger, StatusCode statusCode, string path);

    [LoggerMessage(LogLevel.Error, "Unhandled error in portal page {Method} {Path}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, string path);
}
