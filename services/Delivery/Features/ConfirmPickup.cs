using Grpc.Core;
using Permits.Contracts.Delivery;
using Permits.Contracts.Delivery.V1;
using Permits.Contracts.Disclosure;
using Permits.Delivery.Domain;
using Permits.Delivery.Security;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Steps;

namespace Permits.Delivery.Features;

/// <summary>
/// An officer at the service hall hands the licence over to whoever shows the right pickup code: served (送达), with
/// who collected it as the proof. The officer must be of the shipment's county, in a hall role. <see cref="ShipmentDelivered"/>,
/// the disclosure record and the audit line commit with the change; a wrong code, another county or a shipment not
/// waiting at the hall changes nothing (the refusal alone is audited, never with the code that was tried).
/// </summary>
public sealed partial class ConfirmPickup(
    ServiceDatabase<DeliveryModule> database,
    StepRunner<DeliveryModule> steps,
    GetShipment get,
    CountyDirectory counties,
    TimeProvider time,
    ILogger<ConfirmPickup> logger)
{
    private const string HandOverSql = """
        UPDATE shipments
        SET status = @Delivered, signed_by = @CollectedBy, delivered_at = @Now, collected_by_officer = @OfficerId,
            handed_over_by = @HandedOverBy, pickup_code = NULL
        WHERE id = @Id AND status = @AwaitingPickup AND pickup_code = @Code
        """;

    private const string WrongCode = "取件码不正确";

    /// <summary>Wrong codes within <see cref="LockWindow"/> that lock a shipment, and an officer.</summary>
    public const int MaxWrongCodesPerShipment = 5;
    public const int MaxWrongCodesPerOfficer = 10;
    public static readonly TimeSpan LockWindow = TimeSpan.FromMinutes(30);

    private static OfficerStep Step => HallSteps.ConfirmPickup;

    public async Task<Shipment> HandleAsync(ConfirmPickupRequest request, Officer officer, CancellationToken cancellationToken)
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
        var target = ShipmentRows.Target(await ShipmentRows.ReadAsync(database, applicationId, cancellationToken));
        await steps.ThrowIfInvalidAsync(officer, Step, target, errors, cancellationToken);

        ShipmentRow? shipment = null;
        try
        {
            return await steps.RunAsync(officer, Step, target, async (session, row) =>
            {
                shipment = row;
                StepRunner.Require(row.Status == ShipmentStatus.AwaitingPickup,
                    row.Status == ShipmentStatus.Delivered ? "许可证已送达，不能重复领取" : "许可证未在服务大厅待领取");
                await ThrowIfLockedAsync(row, officer, cancellationToken);
                if (!PickupCodes.Matches(row.PickupCode, code))
                {
                    throw new Refused(WrongCode,
                        () => new FieldErrors().Add("pickup_code", "取件码不正确，请核对申请人出示的 6 位取件码").ThrowIfAny());
                }

                await HandOverAsync(session, row, officer, code, collectedBy);
                var reply = await get.ReplyAsync(session, await ShipmentRows.GetAsync(session, applicationId), ShipmentView.Officer);
                LogCollected(logger, row.ApplicationNumber, officer.Id);
                return new StepResult<Shipment>(reply, $"领取人：{collectedBy}");
            }, cancellationToken);
        }
        catch (Refused refused) when (shipment is not null)
        {
            // Audited once the step's transaction is gone (SQLite has one writer), and without the code that was tried:
            // the audit must not become a list of near-misses.
            await steps.Audit.RefusedAsync(officer, Step, target.SubjectId, shipment.CountyCode, refused.AuditDetail);
            refused.Reply();
            throw;
        }
    }

    /// <summary>
    /// A six-digit code falls to guessing without a limit: after a few wrong codes the shipment, and an officer who
    /// keeps trying codes on any shipment, are locked for a while (even the right code waits), and audited.
    /// </summary>
    private async Task ThrowIfLockedAsync(ShipmentRow row, Officer officer, CancellationToken cancellationToken)
    {
        var (shipmentFailures, officerFailures) = await steps.Audit.RefusalsSinceAsync(
            ShipmentRows.SubjectOf(row.Id), officer, Step, WrongCode, time.GetUtcNow() - LockWindow, cancellationToken);
        if (shipmentFailures >= MaxWrongCodesPerShipment || officerFailures >= MaxWrongCodesPerOfficer)
        {
            var who = shipmentFailures >= MaxWrongCodesPerShipment ? "该件" : "您的账号";
            throw new Refused($"取件码错误次数过多，{who}已锁定", () => throw new RpcException(new Status(StatusCode.ResourceExhausted,
                $"取件码错误次数过多，{who}已暂时锁定，请 {LockWindow.TotalMinutes:0} 分钟后再试；如有疑问请核实申请人身份")));
        }
    }

    private async Task HandOverAsync(DbSession session, ShipmentRow row, Officer officer, string code, string collectedBy)
    {
        var now = time.GetUtcNow();
        StepRunner.EnsureUpdated(await session.ExecuteAsync(HandOverSql, new
        {
            row.Id,
            Delivered = ShipmentStatus.Delivered,
            AwaitingPickup = ShipmentStatus.AwaitingPickup,
            Code = code,
            CollectedBy = collectedBy,
            OfficerId = TrackingLog.Clip(officer.Id, 50),
            HandedOverBy = TrackingLog.Clip(officer.Label, 120),
            Now = now,
        }), "许可证刚被他人办理领取，请刷新后查看");

        var county = await CountyHalls.CountyAsync(session.Connection, session.Transaction, counties.Get(row.CountyCode));
        await TrackingLog.AddLocalAsync(session, row.Id, ShipmentStatus.Delivered,
            $"已在{county.ServiceHallAddress}当面领取，领取人：{collectedBy}", now);
        await session.PublishAsync(
            new ShipmentDelivered(row.Id, row.ApplicationId, row.WaybillNumber ?? "", collectedBy, now),
            DeterministicGuid.Create(row.Id, ShipmentStatus.Delivered));
        await session.DiscloseAsync(ShipmentRecords.For(DisclosureKinds.ShipmentDelivered, row, county, now, "许可证已送达",
            ShipmentRecords.Fields(row.ApplicationNumber, ShipmentRecords.AtHall).SignedBy(collectedBy)));
    }

    /// <summary>A refusal decided inside the step: what the audit records of it, and how the officer is told (it throws).</summary>
    private sealed class Refused(string auditDetail, Action reply) : Exception(auditDetail)
    {
        public string AuditDetail { get; } = auditDetail;

        public Action Reply { get; } = reply;
    }

    [LoggerMessage(LogLevel.Information, "Licence of application {ApplicationNumber} collected at the service hall (officer {OfficerId})")]
    private static partial void LogCollected(ILogger logger, string applicationNumber, string officerId);
}
