using Grpc.Core;
using Permits.Contracts.Delivery;
using Permits.Contracts.Delivery.V1;
using Permits.Contracts.Disclosure;
using Permits.Delivery.Domain;
using Permits.Delivery.Security;
using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Delivery.Features;

/// <summary>
/// An officer at the service hall hands the licence over to whoever shows the right pickup code: served (送达), with
/// who collected it as the proof. The officer is the caller of the access token, and must be of the shipment's
/// county. <see cref="ShipmentDelivered"/>, the disclosure record and the audit entry commit with the change; a wrong
/// code, another county or a shipment not waiting at the hall changes nothing (the refusal alone is audited).
/// </summary>
public sealed partial class ConfirmPickup(
    ServiceDatabase<DeliveryModule> database,
    GetShipment get,
    CountyDirectory counties,
    ShipmentAudit audit,
    TimeProvider time,
    ILogger<ConfirmPickup> logger)
{
    private const string HandOverSql = """
        UPDATE shipments
        SET status = @Delivered, signed_by = @CollectedBy, delivered_at = @Now, collected_by_officer = @OfficerId,
            handed_over_by = @HandedOverBy, pickup_code = NULL
        WHERE id = @Id AND status = @AwaitingPickup AND pickup_code = @Code
        """;

    public const string Action = "confirm-pickup";

    private const string WrongCode = "取件码不正确";

    /// <summary>Wrong codes within <see cref="LockWindow"/> that lock a shipment, and an officer.</summary>
    public const int MaxWrongCodesPerShipment = 5;
    public const int MaxWrongCodesPerOfficer = 10;
    public static readonly TimeSpan LockWindow = TimeSpan.FromMinutes(30);

    public async Task<Shipment> HandleAsync(ConfirmPickupRequest request, HallOfficer officer, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var code = request.PickupCode.Trim();
        var collectedBy = request.CollectedBy.Trim();
        if (code.Length != 6 || !code.All(char.IsAsciiDigit))
        {
            errors.Add("pickup_code", "请输入 6 位数字取件码");
        }

        if (collectedBy.Length is 0 or > 50)
        {
            errors.Add("collected_by", "请填写领取人姓名（50 字以内）");
        }

        var applicationId = ShipmentRows.ApplicationIdOf(request.ApplicationId, errors);

        // Checked before the write transaction; the hand-over below moves the shipment only if it still waits at the hall.
        // The county comes before the field errors, so another county's officer learns nothing from them.
        var row = await ShipmentRows.GetForOfficerAsync(database, audit, applicationId, officer, Action, cancellationToken);
        errors.ThrowIfAny();

        if (row.Status != ShipmentStatus.AwaitingPickup)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition,
                row.Status == ShipmentStatus.Delivered ? "许可证已送达，不能重复领取" : "许可证未在服务大厅待领取"));
        }

        // A six-digit code falls to guessing without a limit: after a few wrong codes the shipment, and an officer
        // who keeps trying codes on any shipment, are locked for a while (even the right code waits), and audited.
        var (shipmentFailures, officerFailures) = await audit.RefusalsSinceAsync(
            row.Id, officer, Action, WrongCode, time.GetUtcNow() - LockWindow, cancellationToken);
        if (shipmentFailures >= MaxWrongCodesPerShipment || officerFailures >= MaxWrongCodesPerOfficer)
        {
            var who = shipmentFailures >= MaxWrongCodesPerShipment ? "该件" : "您的账号";
            await audit.RefusedAsync(row.Id, row.CountyCode, officer, Action, $"取件码错误次数过多，{who}已锁定");
            throw new RpcException(new Status(StatusCode.ResourceExhausted,
                $"取件码错误次数过多，{who}已暂时锁定，请 {LockWindow.TotalMinutes:0} 分钟后再试；如有疑问请核实申请人身份"));
        }

        if (!PickupCodes.Matches(row.PickupCode, code))
        {
            // Audited without the code that was tried: the audit must not become a list of near-misses.
            await audit.RefusedAsync(row.Id, row.CountyCode, officer, Action, WrongCode);
            new FieldErrors().Add("pickup_code", "取件码不正确，请核对申请人出示的 6 位取件码").ThrowIfAny();
        }

        var now = time.GetUtcNow();
        await using var session = await database.BeginAsync(cancellationToken);
        if (await session.ExecuteAsync(HandOverSql, new
            {
                row.Id,
                Delivered = ShipmentStatus.Delivered,
                AwaitingPickup = ShipmentStatus.AwaitingPickup,
                Code = code,
                CollectedBy = collectedBy,
                OfficerId = TrackingLog.Clip(officer.Subject, 50),
                HandedOverBy = TrackingLog.Clip(officer.Label, 120),
                Now = now,
            }) == 0)
        {
            throw new RpcException(new Status(StatusCode.Aborted, "许可证刚被他人办理领取，请刷新后查看"));
        }

        var county = counties.Get(row.CountyCode);
        await TrackingLog.AddLocalAsync(session, row.Id, ShipmentStatus.Delivered,
            $"已在{county.ServiceHallAddress}当面领取，领取人：{collectedBy}", now);
        await session.PublishAsync(
            new ShipmentDelivered(row.Id, row.ApplicationId, row.WaybillNumber ?? "", collectedBy, now),
            DeterministicGuid.Create(row.Id, ShipmentStatus.Delivered));
        await session.DiscloseAsync(Disclosures.For(
            DisclosureKinds.ShipmentDelivered, row.ApplicationId, row.ApplicationNumber, county, now, "许可证已送达",
            new Dictionary<string, string>
            {
                ["申请编号"] = row.ApplicationNumber,
                ["送达方式"] = "窗口领取",
                ["签收"] = PersonalData.MaskName(collectedBy),
            }));
        await audit.DoneAsync(session, row.Id, row.CountyCode, officer, Action, $"领取人：{collectedBy}");
        var reply = await get.ReplyAsync(session, await ShipmentRows.GetAsync(session, applicationId), ShipmentView.Officer);
        await session.CommitAsync(cancellationToken);
        LogCollected(logger, row.ApplicationNumber, officer.Subject);
        return reply;
    }

    [LoggerMessage(LogLevel.Information, "Licence of application {ApplicationNumber} collected at the service hall (officer {OfficerId})")]
    private static partial void LogCollected(ILogger logger, string applicationNumber, string officerId);
}
