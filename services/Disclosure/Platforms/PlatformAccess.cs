using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace Permits.Disclosure.Platforms;

/// <summary>
/// The gate in front of every open-data call, over gRPC and REST alike (REST is the same rpc, transcoded; the export
/// endpoint calls this too): who is calling (UNAUTHENTICATED → 401), may it read that county (PERMISSION_DENIED → 403),
/// is it within its rate and quota (RESOURCE_EXHAUSTED → 429, with google.rpc.RetryInfo in the status details, a
/// <c>retry-after</c> trailer in seconds over gRPC and a Retry-After header over REST).
/// </summary>
public sealed class PlatformAccess(IPlatformCallerResolver resolver, PlatformLimiter limiter)
{
    public const string RetryAfterTrailer = "retry-after";

    public async Task<PlatformCaller> AuthorizeAsync(HttpContext context, string countyCode)
    {
        var resolution = resolver.Resolve(context);
        if (resolution.Caller is not { } caller)
        {
            throw new RpcException(new global::Grpc.Core.Status(
                resolution.Authenticated ? StatusCode.PermissionDenied : StatusCode.Unauthenticated, resolution.Failure));
        }

        var county = countyCode.Trim();
        if (county.Length > 0 && !caller.MayRead(county))
        {
            throw new RpcException(new global::Grpc.Core.Status(StatusCode.PermissionDenied,
                $"平台 {caller.ClientId} 只能读取本省（{caller.Province}）的数据，不能读取 {county}"));
        }

        if (await limiter.TryAcquireAsync(caller.ClientId, context.RequestAborted) is { } refused)
        {
            var seconds = (int)Math.Ceiling(refused.RetryAfter.TotalSeconds);
            var text = seconds.ToString(CultureInfo.InvariantCulture);
            var status = new Google.Rpc.Status
            {
                Code = (int)Code.ResourceExhausted,
                Message = $"{refused.Reason}，请 {seconds} 秒后重试",
                Details = { Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(TimeSpan.FromSeconds(seconds)) }) },
            };
            if (!IsGrpc(context.Request))
            {
                // JSON transcoding does not turn trailers into headers: say it where HTTP clients look.
                context.Response.Headers.RetryAfter = text;
            }

            throw new RpcException(new global::Grpc.Core.Status(StatusCode.ResourceExhausted, status.Message), new Metadata
            {
                { "grpc-status-details-bin", Google.Protobuf.MessageExtensions.ToByteArray(status) },
                { RetryAfterTrailer, text },
            });
        }

        return caller;
    }

    private static bool IsGrpc(Microsoft.AspNetCore.Http.HttpRequest request) =>
        request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;
}
