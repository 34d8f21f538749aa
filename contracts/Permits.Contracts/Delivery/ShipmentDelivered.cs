namespace Permits.Contracts.Delivery;

/// <summary>送达: the licence reached the shopkeeper; the signer's name is the proof of service.</summary>
public sealed record ShipmentDelivered(
    Guid ShipmentId,
    Guid ApplicationId,
    string WaybillNumber,
    string SignedBy,
    DateTimeOffset DeliveredAt);
