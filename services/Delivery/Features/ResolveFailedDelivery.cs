using Grpc.Core;
using Permits.Contracts.Delivery;
using Permits.Contracts.Delivery.V1;
using Permits.Contracts.Disclosure;
using Permits.Delivery.Courier;
using Permits.Delivery.Domain;
using Permits.Delivery.Security;
using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Delivery.Features;

/// <summary>
/// After a failed courier delivery an officer chooses: the courier tries again (redelivery), or brings the parcel
/// back to the service hall, where it waits for pickup (switch to pickup). The courier is instructed first, keyed by
/// the attempt number so a repeat changes nothing there; then the shipment moves, only if it is still in the failed
/// attempt the officer saw. While the courier is unreachable the call fails with UNAVAILABLE and nothing changes.
/// The officer is the caller of the access token, of the shipment's county; the choice is audited.
/// </summary>
public sealed partial class ResolveFailedDelivery(
    ServiceDatabase<DeliveryModule> database,
    ICourierClient courier,
    GetShipment get,
    CountyDirectory counties,
    ShipmentAudit audit,
    TimeProvider time,
    ILogger<ResolveFailedDelivery> logger)
{
    private const string ResolveSql = """
        UPDATE shipments
        SET status = @Status, delivery_attempts = delivery_attempts + 1, next_poll_at = @Now, tracking_errors = 0
        WHERE id = @Id AND status = @DeliveryFailed AND delivery_attempts = @Attempts
        """;

    public const string Action = "resolve-failed-delivery";

    public async Task<Shipment> HandleAsync(ResolveFailedDeliveryRequest request, HallOfficer officer, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (request.Resolution is not (FailedDeliveryResolution.Redeliver or FailedDeliveryResolution.SwitchToPickup))
        {
            errors.Add("resolution", "请选择再次投递或改为窗口领取");
        }

        var applicationId = ShipmentRows.ApplicationIdOf(request.ApplicationId, errors);

        var row = await ShipmentRows.GetForOfficerAsync(database, audit, applicationId, officer, Action, cancellationToken);
        errors.ThrowIfAny();  // after the county check: another county's officer learns nothing from the field errors

        if (row.Status != ShipmentStatus.DeliveryFailed || string.IsNullOrEmpty(row.WaybillNumber))
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, "只有邮寄未能送达的许可证才能安排再次投递或改为窗口领取"));
        }

        var redeliver = request.Resolution == FailedDeliveryResolution.Redeliver;
        var attempt = row.DeliveryAttempts + 1;
        try
        {
            if (redeliver)
            {
                await courier.RedeliverAsync(row.WaybillNumber, attempt, cancellationToken);
            }
            else
            {
                await courier.ReturnAsync(row.WaybillNumber, attempt, cancellationToken);
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is CourierException or HttpRequestException
                                       or Polly.ExecutionRejectedException or TimeoutException or OperationCanceledException)
        {
            LogInstructionFailed(logger, ex, row.ApplicationNumber);
            throw CourierException.IsOutage(ex)
                ? new RpcException(new Status(StatusCode.Unavailable, "快递公司暂时无法联系，请稍后重试"))
                : new RpcException(new Status(StatusCode.FailedPrecondition, "快递公司拒绝了该指令，请稍后刷新查看物流状态"));
        }

        var now = time.GetUtcNow();
        var status = redeliver ? ShipmentStatus.RedeliveryRequested : ShipmentStatus.Returning;
        await using var session = await database.BeginAsync(cancellationToken);
        if (await session.ExecuteAsync(ResolveSql, new
            {
                row.Id,
                Status = status,
                DeliveryFailed = ShipmentStatus.DeliveryFailed,
                Attempts = row.DeliveryAttempts,
                Now = now,
            }) == 0)
        {
            throw new RpcException(new Status(StatusCode.Aborted, "该件已由他人处理，请刷新后查看"));
        }

        var detail = redeliver
            ? $"已安排{CourierCompany.Name}第 {attempt} 次投递"
            : $"已通知{CourierCompany.Name}退回，退回后到服务大厅领取";
        await TrackingLog.AddLocalAsync(session, row.Id, status, detail, now);
        await session.PublishAsync(
            new ShipmentProgressed(row.Id, row.ApplicationId, row.WaybillNumber, status, detail, now),
            DeterministicGuid.Create(row.Id, $"resolve:{status}#{attempt}"));
        if (redeliver)
        {
            var record = Disclosures.For(
                DeliveryDisclosureKinds.RedeliveryRequested, row.ApplicationId, row.ApplicationNumber,
                counties.Get(row.CountyCode), now, "许可证再次邮寄",
                new Dictionary<string, string>
                {
                    ["申请编号"] = row.ApplicationNumber,
                    ["送达方式"] = "邮寄送达",
                    ["投递次数"] = attempt.ToString(System.Globalization.CultureInfo.InvariantCulture),
                });
            await session.DiscloseAsync(record with
            {
                RecordId = DeterministicGuid.Create(row.ApplicationId, $"{DeliveryDisclosureKinds.RedeliveryRequested}#{attempt}"),
            });
        }
        else
        {
            var record = Disclosures.For(
                DisclosureKinds.ShipmentSwitchedToPickup, row.ApplicationId, row.ApplicationNumber,
                counties.Get(row.CountyCode), now, "许可证改为服务大厅窗口领取",
                new Dictionary<string, string>
                {
                    ["申请编号"] = row.ApplicationNumber,
                    ["送达方式"] = "窗口领取",
                    ["投递次数"] = row.DeliveryAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
                });
            await session.DiscloseAsync(record);
        }

        await audit.DoneAsync(session, row.Id, row.CountyCode, officer, Action, redeliver ? $"再次投递（第 {attempt} 次）" : "改为窗口领取");
        var reply = await get.ReplyAsync(session, await ShipmentRows.GetAsync(session, applicationId), ShipmentView.Officer);
        await session.CommitAsync(cancellationToken);
        LogResolved(logger, row.ApplicationNumber, status, officer.Subject);
        return reply;
    }

    [LoggerMessage(LogLevel.Warning, "Courier instruction for application {ApplicationNumber} failed")]
    private static partial void LogInstructionFailed(ILogger logger, Exception exception, string applicationNumber);

    [LoggerMessage(LogLevel.Information, "Failed delivery of application {ApplicationNumber} resolved: {Status} (officer {OfficerId})")]
    private static partial void LogResolved(ILogger logger, string applicationNumber, string status, string officerId);
}
