using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;

namespace Permits.Shared.Hosting;

/// <summary>
/// Errors a caller caused already travel as RpcException with a specific status. Anything else is our fault: log it
/// with the method, and answer INTERNAL without internals.
/// </summary>
public sealed partial class GrpcErrorInterceptor(ILogger<GrpcErrorInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception ex) when (ex is not RpcException and not OperationCanceledException)
        {
            LogUnhandled(logger, ex, context.Method);
            throw new RpcException(new Status(StatusCode.Internal, "服务内部错误，请稍后重试。(internal error)"));
        }
    }

    [LoggerMessage(LogLevel.Error, "Unhandled error in {Method}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method);
}
