namespace Permits.Contracts.Delivery;

/// <summary>A courier accepted the booking and gave a waybill number.</summary>
public sealed record ShipmentDispatched(
    Guid ShipmentId,
    Guid ApplicationId,
    string Courier,
    string WaybillNumber,
    DateTimeOffset DispatchedAt);
