using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Permits.Contracts.Delivery.V1;
using Permits.Delivery.Features;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Security;
using Permits.Shared.Steps;

namespace Permits.Delivery.Grpc;

/// <summary>
/// Thin gRPC face. Who calls comes from the bearer token only, resolved here: GetShipment answers anyone, cut to
/// what they may see; the officer calls need a county officer's token (<see cref="Officer"/>) and act in that
/// county only, in a hall role.
/// </summary>
public sealed class ShipmentsService(
    GetShipment get, ListShipments list, ConfirmPickup confirm, ResolveFailedDelivery resolve, HallSettingsAdmin hall,
    ServiceDatabase<DeliveryModule> database, CountyDirectory counties) : Shipments.ShipmentsBase
{
    public override async Task<Shipment> GetShipment(GetShipmentRequest request, ServerCallContext context) =>
        await get.HandleAsync(request, await CallerIdentity.AuthenticateAsync(context),
            context.RequestHeaders.GetValue("authorization") ?? "", context.CancellationToken);

    public override Task<Shipment> GetCountyShipment(GetShipmentRequest request, ServerCallContext context) =>
        AsOfficerAsync(context, (officer, ct) => get.ForOfficerAsync(request, officer, ct));

    public override Task<ListShipmentsResponse> ListShipments(ListShipmentsRequest request, ServerCallContext context) =>
        AsOfficerAsync(context, (officer, ct) => list.HandleAsync(request, officer, ct));

    public override Task<Shipment> ConfirmPickup(ConfirmPickupRequest request, ServerCallContext context) =>
        AsOfficerAsync(context, (officer, ct) => confirm.HandleAsync(request, officer, ct));

    public override Task<Shipment> ResolveFailedDelivery(ResolveFailedDeliveryRequest request, ServerCallContext context) =>
        AsOfficerAsync(context, (officer, ct) => resolve.HandleAsync(request, officer, ct));

    public override Task<HallSettings> GetHallSettings(GetHallSettingsRequest request, ServerCallContext context) =>
        AsOfficerAsync(context, (officer, ct) => hall.GetAsync(request, officer, ct));

    public override Task<HallSettings> UpdateHallSettings(UpdateHallSettingsRequest request, ServerCallContext context) =>
        AsOfficerAsync(context, (officer, ct) => hall.UpdateAsync(request, officer, ct));

    /// <summary>The hall in force, for anyone (the guide and progress pages).</summary>
    [AllowAnonymous]
    public override Task<Hall> GetHall(GetHallRequest request, ServerCallContext context) =>
        CountyHalls.GetAsync(database, counties, request, context.CancellationToken);

    /// <summary>The officer calls: UNAUTHENTICATED without a token, PERMISSION_DENIED for anyone not a county officer.</summary>
    private static async Task<T> AsOfficerAsync<T>(ServerCallContext context, Func<Officer, CancellationToken, Task<T>> action) =>
        await action(await Officer.FromAsync(context), context.CancellationToken);
}
