using Grpc.Core;
using Permits.Contracts.Delivery.V1;
using Permits.Delivery.Features;

namespace Permits.Delivery.Grpc;

public sealed class ShipmentsService(GetShipment get, ConfirmPickup confirm, ResolveFailedDelivery resolve) : Shipments.ShipmentsBase
{
    public override Task<Shipment> GetShipment(GetShipmentRequest request, ServerCallContext context) =>
        get.HandleAsync(request, context.CancellationToken);

    public override Task<Shipment> ConfirmPickup(ConfirmPickupRequest request, ServerCallContext context) =>
        confirm.HandleAsync(request, context.CancellationToken);

    public override Task<Shipment> ResolveFailedDelivery(ResolveFailedDeliveryRequest request, ServerCallContext context) =>
        resolve.HandleAsync(request, context.CancellationToken);
}
