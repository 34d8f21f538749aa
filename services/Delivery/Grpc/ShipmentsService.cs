using Grpc.Core;
using Permits.Contracts.Delivery.V1;
using Permits.Delivery.Features;
using Permits.Delivery.Security;

namespace Permits.Delivery.Grpc;

/// <summary>
/// Thin gRPC face. Who calls comes from the bearer token only (<see cref="ShipmentAccess"/>): GetShipment answers
/// anyone, cut to what they may see; the officer calls need a county officer's token and act in that county only.
/// </summary>
public sealed class ShipmentsService(
    GetShipment get, ListShipments list, ConfirmPickup confirm, ResolveFailedDelivery resolve) : Shipments.ShipmentsBase
{
    public override Task<Shipment> GetShipment(GetShipmentRequest request, ServerCallContext context) =>
        get.HandleAsync(request, context);

    public override Task<Shipment> GetCountyShipment(GetShipmentRequest request, ServerCallContext context) =>
        get.ForOfficerAsync(request, context);

    public override async Task<ListShipmentsResponse> ListShipments(ListShipmentsRequest request, ServerCallContext context) =>
        await list.HandleAsync(request, await ShipmentAccess.RequireOfficerAsync(context), context.CancellationToken);

    public override async Task<Shipment> ConfirmPickup(ConfirmPickupRequest request, ServerCallContext context) =>
        await confirm.HandleAsync(request, await ShipmentAccess.RequireOfficerAsync(context), context.CancellationToken);

    public override async Task<Shipment> ResolveFailedDelivery(ResolveFailedDeliveryRequest request, ServerCallContext context) =>
        await resolve.HandleAsync(request, await ShipmentAccess.RequireOfficerAsync(context), context.CancellationToken);
}
