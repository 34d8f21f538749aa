using Permits.Contracts.Disclosure;
using Catalogue = Permits.Contracts.Licensing.RequestTypes;
using ProtoRequestType = Permits.Contracts.Intake.V1.RequestType;

namespace Permits.Portal.Web;

/// <summary>The Chinese words the pages use for the services' codes. An unknown code is shown as it is.</summary>
public static class Labels
{
    /// <summary>The request types as a form offers them, from the catalogue: code and Chinese label.</summary>
    public static readonly IReadOnlyList<Option> RequestTypes = Catalogue.All.Select(t => new Option(t.Code, t.Label)).ToList();

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

    /// <summary>新办, 变更, … for a request-type code.</summary>
    public static string RequestType(string? code) => Catalogue.Label(code);

    /// <summary>新办, 变更, … for the gRPC enum; "" for none.</summary>
    public static string RequestType(ProtoRequestType type) => Catalogue.TryGet(type, out var info) ? info.Label : "";

    public static string DisclosureKind(string kind) => DisclosureKinds.Labels.GetValueOrDefault(kind, kind);

    /// <summary>个体工商户 or 企业（含其他组织）; an unknown code as it is.</summary>
    public static string HolderType(string code) => HolderTypes.FirstOrDefault(h => h.Value == code)?.Label ?? code;

    public static string ShipmentStatus(string status) => ShipmentStatusLabels.GetValueOrDefault(status, status);

    public static string DeliveryMethod(string method) =>
        DeliveryMethods.FirstOrDefault(m => m.Value == method)?.Label ?? method;
}

/// <summary>One choice on a form: the value sent to the service, the label people read, and an optional hint.</summary>
public sealed record Option(string Value, string Label, string? Hint = null);
