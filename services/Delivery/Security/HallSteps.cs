using Grpc.Core;
using Permits.Shared.Security;
using Permits.Shared.Steps;

namespace Permits.Delivery.Security;

/// <summary>
/// What the county's officers do with shipments at the service hall, and who may: the four licensing roles of the
/// county the shipment belongs to (not 政务公开, whose clerk has no business with parcels). Decided by
/// <see cref="OfficerGuard"/>; done and refused steps go to the officer audit (subject: the shipment id).
/// </summary>
public static class HallSteps
{
    public static readonly IReadOnlyList<string> HallRoles =
        [PermitsRoles.Clerk, PermitsRoles.Inspector, PermitsRoles.Reviewer, PermitsRoles.Head];

    /// <summary>How refusals name a shipment: 该许可证不属于本县（市、区）局….</summary>
    public const string Noun = "该许可证";

    public static readonly OfficerStep View = new("view", "查看送达记录", HallRoles);

    public static readonly OfficerStep List = new("list", "查看本县送达件", HallRoles);

    public static readonly OfficerStep ConfirmPickup = new("confirm-pickup", "确认窗口领取", HallRoles);

    /// <summary>The county's 系统管理员 sets where and when its licences are collected (and alone reads it with its trail).</summary>
    public static readonly OfficerStep ChangeHall = new("change-hall-settings", "修改本县办事大厅信息", CountySettings<DeliveryModule>.AdminRoles);

    public static readonly OfficerStep ResolveFailedDelivery = new("resolve-failed-delivery", "处理邮寄未送达", HallRoles);

    /// <summary>Whether <paramref name="caller"/> sees a shipment of <paramref name="countyCode"/> as its county's officer does.</summary>
    public static bool MayView(CallerIdentity caller, string countyCode) =>
        Officer.TryFrom(caller) is { } officer && OfficerGuard.Decide(officer, View, countyCode, Noun).Allowed;

    /// <summary>A step on no one shipment (the county's list): only the role counts, the county is the officer's own.</summary>
    public static void RequireRole(Officer officer, OfficerStep step)
    {
        if (OfficerGuard.Decide(officer, step, officer.CountyCode, Noun) is { Allowed: false } verdict)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, verdict.Reason));
        }
    }
}
