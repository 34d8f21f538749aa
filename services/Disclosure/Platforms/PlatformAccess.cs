using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace Permits.Disclosure.Platforms;

/// <summary>
/// The gate in front of every open-data call: who is calling (UNAUTHENTICATED), may it read that county
/// (PERMISSION_DENIED), is it within its rate and quota (RESOURCE_EXHAUSTED with google.rpc.RetryInfo and a
/// <c>retry-after</c> trailer in seconds; over REST: 429 with a Retry-After header).
/// </summary>
public sealed class PlatformAccess(IPlatformCallerResolver resolver, PlatformLimiter limiter)
{
    public const string RetryAfterTrailer = "retry-after";

    public PlatformCaller Authorize(HttpContext context, string countyCode)
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

        if (limiter.TryAcquire(caller.ClientId) is { } refused)
        {
            var seconds = (int)Math.Ceiling(refused.RetryAfter.TotalSeconds);
            var status = new Google.Rpc.Status
            {
                Code = (int)Code.ResourceExhausted,
                Message = $"{refused.Reason}，请 {seconds} 秒后重试",
                Details = { Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(TimeSpan.FromSeconds(seconds)) }) },
            };
            throw new RpcException(new global::Grpc.Core.Status(StatusCode.ResourceExhausted, status.Message), new Metadata
            {
                { "grpc-status-details-bin", Google.Protobuf.MessageExtensions.ToByteArray(status) },
                { RetryAfterTrailer, seconds.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            });
        }

        return caller;
    }
}
