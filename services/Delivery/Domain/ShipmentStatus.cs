namespace Permits.Delivery.Domain;

/// <summary>Where a shipment is. Stored as these names.</summary>
public static class ShipmentStatus
{
    /// <summary>Courier chosen; the booking worker has not yet got a waybill (or is retrying).</summary>
    public const string PendingBooking = "PendingBooking";

    /// <summary>The courier accepted it and gave a waybill; the tracking worker follows it.</summary>
    public const string Dispatched = "Dispatched";

    /// <summary>Signed for: served (送达).</summary>
    public const string Delivered = "Delivered";

    /// <summary>The courier gave up (refused, nobody home, wrong address).</summary>
    public const string DeliveryFailed = "DeliveryFailed";

    /// <summary>Pickup chosen: waiting at the county service hall for the shopkeeper with the pickup code.</summary>
    public const string AwaitingPickup = "AwaitingPickup";
}
