namespace Permits.Contracts.Delivery;

/// <summary>
/// A shipment moved on without being served or failing: picked up by the courier, in transit, redelivery requested,
/// returning to the service hall. <paramref name="Status"/> is the shipment's new status.
/// </summary>
public sealed record ShipmentProgressed(
    Guid ShipmentId,
    Guid ApplicationId,
    string WaybillNumber,
    string Status,
    string Detail,
    DateTimeOffset OccurredAt);
