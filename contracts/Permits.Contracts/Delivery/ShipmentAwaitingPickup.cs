namespace Permits.Contracts.Delivery;

/// <summary>
/// The licence waits at the county service hall for the shopkeeper, who collects it with the pickup code (the code
/// itself is not in the event). <paramref name="SwitchedFromCourier"/> when a failed courier delivery was returned.
/// </summary>
public sealed record ShipmentAwaitingPickup(
    Guid ShipmentId,
    Guid ApplicationId,
    string CountyCode,
    string PickupAddress,
    bool SwitchedFromCourier,
    DateTimeOffset At);
