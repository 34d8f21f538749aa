using Google.Rpc;
using Grpc.Core;
using GrpcCode = Grpc.Core.StatusCode;

namespace Permits.Portal.Pages.Officer;

/// <summary>Turns Review's refusals into the sentence the officer reads; unexpected failures are logged.</summary>
public static partial class OfficerErrors
{
    public static string Explain(RpcException ex, ILogger logger)
    {
        switch (ex.StatusCode)
        {
            case GrpcCode.FailedPrecondition or GrpcCode.NotFound or GrpcCode.AlreadyExists or GrpcCode.Aborted
                or GrpcCode.PermissionDenied:
                // Review words these for the officer (e.g. “案件当前环节为……，不能受理”).
                return "未能办理：" + ex.Status.Detail;
            case GrpcCode.Unauthenticated:
                return "未能办理：登录已失效，请退出后重新登录。";
            case GrpcCode.InvalidArgument:
                var violations = ex.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations;
                return "未能办理：" + (violations is { Count: > 0 } ? string.Join("；", violations.Select(v => v.Description)) : ex.Status.Detail);
            case GrpcCode.Unavailable or GrpcCode.DeadlineExceeded:
                LogActionFailed(logger, ex, ex.StatusCode);
                return "未能办理：审查系统暂时无法响应，请稍后重试。";
            default:
                LogActionFailed(logger, ex, ex.StatusCode);
                return "未能办理：系统出了点问题，请稍后重试。";
        }
    }

    [LoggerMessage(LogLevel.Warning, "An officer action failed with {StatusCode}")]
    private static partial void LogActionFailed(ILogger logger, Exception exception, GrpcCode statusCode);
}
