using Permits.Contracts.Disclosure;

namespace Permits.Portal.Web;

/// <summary>The Chinese words the pages use for the services' codes. An unknown code is shown as it is.</summary>
public static class Labels
{
    public static readonly IReadOnlyList<Option> RequestTypes =
    [
        new("New", "新办"),
        new("Change", "变更"),
        new("Renewal", "延续"),
        new("Suspend", "停业"),
        new("Resume", "恢复营业"),
        new("Close", "歇业"),
        new("Reissue", "补办"),
        new("Cancel", "注销"),
    ];

    public static readonly IReadOnlyList<Option> HolderTypes =
    [
        new("IndividualBusiness", "个体工商户"),
        new("Enterprise", "企业（含其他组织）"),
    ];

    public static readonly IReadOnlyList<Option> PremisesTenures =
    [
        new("Owned", "自有"),
        new("Leased", "租赁"),
    ];

    public static readonly IReadOnlyList<Option> DeliveryMethods =
    [
        new("Courier", "快递到家", "证件办好后免跑腿，寄到您填写的地址"),
        new("Pickup", "窗口自取", "到所在县（市、区）政务服务中心烟草窗口领取"),
    ];

    // Delivery's shipment statuses and the courier's tracking statuses share this table.
    private static readonly Dictionary<string, string> ShipmentStatusLabels = new()
    {
        ["PendingBooking"] = "正在预约快递",
        ["Dispatched"] = "已寄出",
        ["PickedUp"] = "快递员已揽收",
        ["InTransit"] = "运输中",
        ["Delivered"] = "已送达",
        ["DeliveryFailed"] = "投递未成功",
        ["Failed"] = "投递未成功",
        ["AwaitingPickup"] = "待窗口领取",
        ["RedeliveryRequested"] = "已安排再次投递",
        ["Returning"] = "退回服务大厅途中",
        ["Returned"] = "已退回服务大厅",
    };

    public static string DisclosureKind(string kind) => DisclosureKinds.Labels.GetValueOrDefault(kind, kind);

    public static string ShipmentStatus(string status) => ShipmentStatusLabels.GetValueOrDefault(status, status);

    public static string DeliveryMethod(string method) =>
        DeliveryMethods.FirstOrDefault(m => m.Value == method)?.Label ?? method;
}

/// <summary>One choice on a form: the value sent to the service, the label people read, and an optional hint.</summary>
public sealed record Option(string Value, string Label, string? Hint = null);
