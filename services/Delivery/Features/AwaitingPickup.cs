using Permits.Contracts.Delivery;
using Permits.Delivery.Domain;
using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Delivery.Features;

/// <summary>The licence is put out for pickup at the service hall: event and disclosure record, in the caller's transaction.</summary>
public static class AwaitingPickup
{
    public static async Task PublishAsync(
        DbSession session, ShipmentKey shipment, County county, bool switchedFromCourier, DateTimeOffset at)
    {
        await session.PublishAsync(
            new ShipmentAwaitingPickup(shipment.Id, shipment.ApplicationId, county.Code, county.ServiceHallAddress, switchedFromCourier, at),
            DeterministicGuid.Create(shipment.Id, ShipmentStatus.AwaitingPickup));
        await session.DiscloseAsync(ShipmentRecords.For(DeliveryDisclosureKinds.AwaitingPickup, shipment, county, at,
            switchedFromCourier ? "许可证邮寄未能送达，改为窗口领取" : "许可证已备妥，待窗口领取",
            ShipmentRecords.Fields(shipment.ApplicationNumber, ShipmentRecords.AtHall).PickupAt(county.ServiceHallAddress)));
    }
}
