namespace Permits.Contracts.Delivery;

/// <summary>
/// For the county: the 10-working-day service limit passed and the licence is not served yet.
/// <paramref name="Provisional"/> when the limit lay beyond the published holiday calendar.
/// </summary>
public sealed record ShipmentLate(
    Guid ShipmentId,
    Guid ApplicationId,
    string ApplicationNumber,
    string CountyCode,
    string Status,
    DateOnly ServiceDueBy,
    bool Provisional,
    DateTimeOffset FlaggedAt);
