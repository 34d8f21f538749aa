using Permits.Contracts.Delivery;
using Permits.Intake.Domain;
using Permits.Shared.Data;

namespace Permits.Intake.Consumers;

public sealed class ShipmentDispatchedConsumer(ServiceDatabase<IntakeModule> database, ILogger<ShipmentDispatchedConsumer> logger)
    : StatusConsumer<ShipmentDispatched>(database, logger)
{
    private static readonly ApplicationUpdate Dispatch = ApplicationUpdate.Advancing("waybill_number = @WaybillNumber");

    protected override Task HandleAsync(ShipmentDispatched message, DbSession session, CancellationToken cancellationToken) =>
        AdvanceAsync(session, Dispatch,
            new HistoryStep(message.ApplicationId, ApplicationStatus.Dispatched, message.DispatchedAt,
                $"{message.Courier} 运单号 {message.WaybillNumber}"),
            new { message.WaybillNumber });
}

public sealed class ShipmentDeliveredConsumer(ServiceDatabase<IntakeModule> database, ILogger<ShipmentDeliveredConsumer> logger)
    : StatusConsumer<ShipmentDelivered>(database, logger)
{
    private static readonly ApplicationUpdate Deliver = ApplicationUpdate.Advancing(ApplicantDeadlines.ClearColumns);

    protected override Task HandleAsync(ShipmentDelivered message, DbSession session, CancellationToken cancellationToken) =>
        AdvanceAsync(session, Deliver,
            new HistoryStep(message.ApplicationId, ApplicationStatus.Delivered, message.DeliveredAt, "许可证已签收"));
}

/// <summary>物流跟踪: each move of the shipment (picked up, in transit, redelivery, returning) is a step in the history.</summary>
public sealed class ShipmentProgressedConsumer(ServiceDatabase<IntakeModule> database, ILogger<ShipmentProgressedConsumer> logger)
    : StatusConsumer<ShipmentProgressed>(database, logger)
{
    protected override Task HandleAsync(ShipmentProgressed message, DbSession session, CancellationToken cancellationToken) =>
        AddHistoryAsync(session, new HistoryStep(message.ApplicationId, ApplicationStatus.Tracking, message.OccurredAt,
            Note($"{message.Detail}（运单号 {message.WaybillNumber}）")));
}

/// <summary>The licence waits at the service hall (chosen, or after a failed courier delivery).</summary>
public sealed class ShipmentAwaitingPickupConsumer(ServiceDatabase<IntakeModule> database, ILogger<ShipmentAwaitingPickupConsumer> logger)
    : StatusConsumer<ShipmentAwaitingPickup>(database, logger)
{
    protected override Task HandleAsync(ShipmentAwaitingPickup message, DbSession session, CancellationToken cancellationToken) =>
        AdvanceAsync(session, new HistoryStep(message.ApplicationId, ApplicationStatus.AwaitingPickup, message.At,
            Note((message.SwitchedFromCourier ? "快递未能送达，许可证已退回。" : "") +
                $"请持短信中的取件码到{message.PickupAddress}领取许可证")));
}

public sealed class DeliveryFailedConsumer(ServiceDatabase<IntakeModule> database, ILogger<DeliveryFailedConsumer> logger)
    : StatusConsumer<DeliveryFailed>(database, logger)
{
    protected override Task HandleAsync(DeliveryFailed message, DbSession session, CancellationToken cancellationToken) =>
        // The courier's words may name people or places: kept for the owner's own view only (GetApplication shows the
        // public a fixed note instead).
        AdvanceAsync(session, new HistoryStep(message.ApplicationId, ApplicationStatus.DeliveryFailed, message.FailedAt,
            Note(message.Reason.Trim().Length > 0 ? message.Reason.Trim() : History.DeliveryFailedPublicNote)));
}
