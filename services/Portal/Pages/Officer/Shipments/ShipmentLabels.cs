using Google.Rpc;
using Grpc.Core;
using Permits.Contracts.Delivery.V1;
using Permits.Portal.Web;
using GrpcCode = Grpc.Core.StatusCode;

namespace Permits.Portal.Pages.Officer.Shipments;

/// <summary>Words for shipments on the officer pages and the shipment panels, and Delivery's refusals as sentences.</summary>
public static partial class ShipmentLabels
{
    public static readonly IReadOnlyList<Option> Statuses =
    [
        new("", "全部状态"),
        new("PendingBooking", "正在预约快递"),
        new("Dispatched", "已交寄"),
        new("PickedUp", "快递员已揽收"),
        new("InTransit", "运输中"),
        new("DeliveryFailed", "投递未成功（待处理）"),
        new("RedeliveryRequested", "已安排再次投递"),
        new("Returning", "退回服务大厅途中"),
        new("AwaitingPickup", "待窗口领取"),
        new("Delivered", "已送达"),
    ];

    // The courier's own event names, beside the shipment statuses above.
    private static readonly Dictionary<string, string> CourierEvents = new()
    {
        ["Failed"] = "投递未成功",
        ["Returned"] = "已退回寄件人",
    };

    public static string Status(string status) =>
        Statuses.Skip(1).FirstOrDefault(s => s.Value == status)?.Label
        ?? CourierEvents.GetValueOrDefault(status)
        ?? Labels.ShipmentStatus(status);

    public static string Method(string method) => Labels.DeliveryMethod(method);

    /// <summary>Tracking steps, newest first.</summary>
    public static IEnumerable<TrackingEvent> NewestFirst(IEnumerable<TrackingEvent> events) =>
        events.OrderByDescending(e => e.At?.ToDateTimeOffset()).ThenByDescending(e => e.Sequence);

    /// <summary>Delivery words its refusals for people; the rest become a general sentence and a log entry.</summary>
    public static string Explain(RpcException ex, ILogger logger)
    {
        switch (ex.StatusCode)
        {
            case GrpcCode.InvalidArgument:
                var violations = ex.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations;
                return "未能办理：" + (violations is { Count: > 0 } ? string.Join("；", violations.Select(v => v.Description)) : ex.Status.Detail);
            case GrpcCode.FailedPrecondition or GrpcCode.NotFound or GrpcCode.Aborted or GrpcCode.PermissionDenied:
                return "未能办理：" + ex.Status.Detail;
            case GrpcCode.Unauthenticated:
                return "未能办理：登录已失效，请退出后重新登录。";
            case GrpcCode.Unavailable when ex.Status.Detail.Contains("快递", StringComparison.Ordinal):
                // The courier, not Delivery, is away: Delivery says so in its own words.
                return "未能办理：" + ex.Status.Detail;
            default:
                LogFailed(logger, ex, ex.StatusCode);
                return "未能办理：送达系统暂时无法响应，请稍后重试。";
        }
    }

    [LoggerMessage(LogLevel.Warning, "A shipment call failed with {StatusCode}")]
    private static partial void LogFailed(ILogger logger, Exception exception, GrpcCode statusCode);
}
