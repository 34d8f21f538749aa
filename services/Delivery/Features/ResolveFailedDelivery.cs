using Grpc.Core;
using Permits.Contracts.Delivery;
using Permits.Contracts.Delivery.V1;
using Permits.Contracts.Disclosure;
using Permits.Delivery.Courier;
using Permits.Delivery.Domain;
using Permits.Delivery.Security;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Steps;

namespace Permits.Delivery.Features;

/// <summary>
/// After a failed courier delivery an officer chooses: the courier tries again (redelivery), or brings the parcel
/// back to the service hall, where it waits for pickup (switch to pickup). The courier is instructed first, keyed by
/// the attempt number so a repeat changes nothing there; then the shipment moves, only if it is still in the failed
/// attempt the officer saw. While the courier is unreachable the call fails with UNAVAILABLE and nothing changes.
/// The officer must be of the shipment's county, in a hall role; the choice is audited.
/// </summary>
public sealed partial class ResolveFailedDelivery(
    ServiceDatabase<DeliveryModule> database,
    StepRunner<DeliveryModule> steps,
    ICourierClient courier,
    GetShipment get,
    CountyDirectory counties,
    TimeProvider time,
    ILogger<ResolveFailedDelivery> logger)
{
    private const string ResolveSql = """
        UPDATE shipments
        SET status = @Status, delivery_attempts = delivery_attempts + 1, next_poll_at = @Now, tracking_errors = 0
        WHERE id = @Id AND status = @DeliveryFailed AND delivery_attempts = @Attempts
        """;

    private const string NotFailed = "只有邮寄未能送达的许可证才能安排再次投递或改为窗口领取";

    private static OfficerStep Step => HallSteps.ResolveFailedDelivery;

    public async Task<Shipment> HandleAsync(ResolveFailedDeliveryRequest request, Officer officer, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (request.Resolution is not (FailedDeliveryResolution.Redeliver or FailedDeliveryResolution.SwitchToPickup))
        {
            errors.Add("resolution", "请选择再次投递或改为窗口领取");
        }

        var applicationId = ShipmentRows.ApplicationIdOf(request.ApplicationId, errors);
        var seen = await ShipmentRows.ReadAsync(database, applicationId, cancellationToken);
        var target = ShipmentRows.Target(seen);
        await steps.ThrowIfInvalidAsync(officer, Step, target, errors, cancellationToken);

        // The courier is asked only on behalf of an officer who may take the step (the step itself refuses, and audits,
        // anyone else), and before the step's transaction, which must not stay open across a call to a third party.
        var redeliver = request.Resolution == FailedDeliveryResolution.Redeliver;
        if (await steps.MayAsync(officer, Step, target, cancellationToken))
        {
            StepRunner.Require(IsFailed(seen), NotFailed);
            await InstructCourierAsync(seen, redeliver, cancellationToken);
        }

        return await steps.RunAsync(officer, Step, target, async (session, row) =>
        {
            StepRunner.Require(IsFailed(row), NotFailed);
            var status = await ResolveAsync(session, row, redeliver, seen.DeliveryAttempts);
            var reply = await get.ReplyAsync(session, await ShipmentRows.GetAsync(session, applicationId), ShipmentView.Officer);
            LogResolved(logger, row.ApplicationNumber, status, officer.Id);
            return new StepResult<Shipment>(reply, redeliver ? $"再次投递（第 {seen.DeliveryAttempts + 1} 次）" : "改为窗口领取");
        }, cancellationToken);
    }

    private static bool IsFailed(ShipmentRow row) =>
        row.Status == ShipmentStatus.DeliveryFailed && !string.IsNullOrEmpty(row.WaybillNumber);

    /// <summary>Keyed by the attempt number, so a repeat changes nothing at the courier.</summary>
    private async Task InstructCourierAsync(ShipmentRow row, bool redeliver, CancellationToken cancellationToken)
    {
        var attempt = row.DeliveryAttempts + 1;
        try
        {
            if (redeliver)
            {
                await courier.RedeliverAsync(row.WaybillNumber!, attempt, cancellationToken);
            }
            else
            {
                await courier.ReturnAsync(row.WaybillNumber!, attempt, cancellationToken);
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is CourierException or HttpRequestException
                                       or Polly.ExecutionRejectedException or TimeoutException or OperationCanceledException)
        {
            LogInstructionFailed(logger, ex, row.ApplicationNumber);
            throw CourierException.IsOutage(ex)
                ? new RpcException(new Status(StatusCode.Unavailable, "快递公司暂时无法联系，请稍后重试"))
                : StepRunner.Precondition("快递公司拒绝了该指令，请稍后刷新查看物流状态");
        }
    }

    /// <summary>Moves the shipment, only if it is still in the failed attempt the courier was instructed about.</summary>
    private async Task<string> ResolveAsync(DbSession session, ShipmentRow row, bool redeliver, int attemptsSeen)
    {
        var now = time.GetUtcNow();
        var attempt = attemptsSeen + 1;
        var status = redeliver ? ShipmentStatus.RedeliveryRequested : ShipmentStatus.Returning;
        StepRunner.EnsureUpdated(await session.ExecuteAsync(ResolveSql, new
        {
            row.Id,
            Status = status,
            DeliveryFailed = ShipmentStatus.DeliveryFailed,
            Attempts = attemptsSeen,
            Now = now,
        }), "该件已由他人处理，请刷新后查看");

        var detail = redeliver
            ? $"已安排{CourierCompany.Name}第 {attempt} 次投递"
            : $"已通知{CourierCompany.Name}退回，退回后到服务大厅领取";
        await TrackingLog.AddLocalAsync(session, row.Id, status, detail, now);
        await session.PublishAsync(
            new ShipmentProgressed(row.Id, row.ApplicationId, row.WaybillNumber!, status, detail, now),
            DeterministicGuid.Create(row.Id, $"resolve:{status}#{attempt}"));
        var county = counties.Get(row.CountyCode);
        await session.DiscloseAsync(redeliver
            ? ShipmentRecords.For(DeliveryDisclosureKinds.RedeliveryRequested, row, county, now, "许可证再次邮寄",
                ShipmentRecords.Fields(row.ApplicationNumber, ShipmentRecords.ByCourier).Attempt(attempt), occurrence: $"{attempt}")
            : ShipmentRecords.For(DisclosureKinds.ShipmentSwitchedToPickup, row, county, now, "许可证改为服务大厅窗口领取",
                ShipmentRecords.Fields(row.ApplicationNumber, ShipmentRecords.AtHall).Attempt(attemptsSeen)));
        return status;
    }

    [LoggerMessage(LogLevel.Warning, "Courier instruction for application {ApplicationNumber} failed")]
    private static partial void LogInstructionFailed(ILogger logger, Exception exception, string applicationNumber);

    [LoggerMessage(LogLevel.Information, "Failed delivery of application {ApplicationNumber} resolved: {Status} (officer {OfficerId})")]
    private static partial void LogResolved(ILogger logger, string applicationNumber, string status, string officerId);
}
