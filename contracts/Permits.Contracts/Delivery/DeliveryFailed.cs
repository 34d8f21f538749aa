namespace Permits.Contracts.Delivery;

/// <summary>The courier could not deliver (refused, nobody home, wrong address).</summary>
public sealed record DeliveryFailed(
    Guid ShipmentId,
    Guid ApplicationId,
    string WaybillNumber,
    string Reason,
    DateTimeOffset FailedAt);
