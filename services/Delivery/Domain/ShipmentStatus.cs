using Permits.Contracts.Disclosure;
namespace Permits.Delivery.Domain;

/// <summary>
/// Where a shipment is. Stored as these names. By courier: PendingBooking → Dispatched (booked) → PickedUp →
/// InTransit → Delivered, or → DeliveryFailed → (officer) RedeliveryRequested → InTransit → … or → Returning →
/// AwaitingPickup → Delivered (collected at the hall). For pickup: AwaitingPickup → Delivered.
/// </summary>
public static class ShipmentStatus
{
    /// <summary>Courier chosen; the booking worker has not yet got a waybill (or is retrying).</summary>
    public const string PendingBooking = "PendingBooking";

    /// <summary>Booked: the courier accepted it and gave a waybill; the tracking worker follows it.</summary>
    public const string Dispatched = "Dispatched";

    /// <summary>The courier collected the parcel.</summary>
    public const string PickedUp = "PickedUp";

    /// <summary>On its way (or out for delivery).</summary>
    public const string InTransit = "InTransit";

    /// <summary>Signed for, or collected at the hall: served (送达).</summary>
    public const string Delivered = "Delivered";

    /// <summary>The courier could not deliver (refused, nobody home, wrong address); an officer chooses what next.</summary>
    public const string DeliveryFailed = "DeliveryFailed";

    /// <summary>An officer asked the courier to try again.</summary>
    public const string RedeliveryRequested = "RedeliveryRequested";

    /// <summary>An officer asked the courier to bring the parcel back to the service hall.</summary>
    public const string Returning = "Returning";

    /// <summary>Waiting at the county service hall for the shopkeeper with the pickup code.</summary>
    public const string AwaitingPickup = "AwaitingPickup";

    /// <summary>Statuses in which the courier has the parcel, so its events are awaited (and polled for).</summary>
    public static readonly IReadOnlyList<string> WithCourier = [Dispatched, PickedUp, InTransit, RedeliveryRequested, Returning];

    /// <summary>Parameters for <c>status IN (@S0, @S1, @S2, @S3, @S4)</c>: portable SQL has no list parameters.</summary>
    public const string WithCourierInList = "(@S0, @S1, @S2, @S3, @S4)";

    public static object WithCourierParameters => new
    {
        S0 = Dispatched,
        S1 = PickedUp,
        S2 = InTransit,
        S3 = RedeliveryRequested,
        S4 = Returning,
    };
}

/// <summary>
/// Delivery's names for its disclosure kinds beyond the happy path (defined once in <c>DisclosureKinds</c>). Courier
/// progress is disclosed once per change of state (picked up, in transit, returning), never per scan, and without
/// the courier's own text.
/// </summary>
public static class DeliveryDisclosureKinds
{
    /// <summary>An officer had the courier try again after a failed delivery.</summary>
    public const string RedeliveryRequested = DisclosureKinds.ShipmentRedelivery;

    /// <summary>The licence waits at the service hall (chosen at application, or after a failed delivery).</summary>
    public const string AwaitingPickup = DisclosureKinds.ShipmentAwaitingPickup;
}
