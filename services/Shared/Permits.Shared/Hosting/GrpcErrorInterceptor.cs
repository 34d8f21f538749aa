using System.Data.Common;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;

using Permits.Shared.Data;

namespace Permits.Shared.Hosting;

/// <summary>
/// Errors a caller caused already travel as RpcException with a specific status. A database that cannot be reached
/// for the moment (restarting, failing over: a transient <see cref="DbException"/>) answers UNAVAILABLE, which gRPC
/// clients and proxies know they may try again, and logs a warning. Anything else is our fault: log it with the
/// method, and answer INTERNAL without internals.
/// </summary>
public sealed partial class GrpcErrorInterceptor(ILogger<GrpcErrorInterceptor> logger) : Interceptor
{
    /// <summary>What the caller reads when the database is away for the moment.</summary>
    public const string UnavailableMessage = "服务暂时不可用，请稍后重试。(service temporarily unavailable)";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception ex) when (ex is not RpcException and not OperationCanceledException && IsTransient(ex))
        {
            LogUnavailable(logger, context.Method, ex.Message);
            // After a restart of the database every idle pooled connection is as dead as this one: close them, so the
            // caller's next try gets a new one rather than the next dead one.
            DatabasePools.ClearAll();
            throw new RpcException(new Status(StatusCode.Unavailable, UnavailableMessage));
        }
        catch (Exception ex) when (ex is not RpcException and not OperationCanceledException)
        {
            LogUnhandled(logger, ex, context.Method);
            throw new RpcException(new Status(StatusCode.Internal, "服务内部错误，请稍后重试。(internal error)"));
        }
    }

    /// <summary>A database error its provider calls transient (connection refused or dropped, server shutting down or starting up).</summary>
    public static bool IsTransient(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is DbException { IsTransient: true })
            {
                return true;
            }
        }

        return false;
    }

    [LoggerMessage(LogLevel.Error, "Unhandled error in {Method}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method);

    [LoggerMessage(LogLevel.Warning, "{Method} answered UNAVAILABLE: the database cannot be reached for the moment ({Reason})")]
    private static partial void LogUnavailable(ILogger logger, string method, string reason);
}
