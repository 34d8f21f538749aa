using Grpc.Core;
using Permits.Contracts.Delivery.V1;
using Permits.Delivery.Features;

namespace Permits.Delivery.Grpc;

public sealed class ShipmentsService(GetShipment get) : Shipments.ShipmentsBase
{
    public override Task<Shipment> GetShipment(GetShipmentRequest request, ServerCallContext context) =>
        get.HandleAsync(request, context.CancellationToken);
}
