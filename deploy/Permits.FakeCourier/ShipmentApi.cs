namespace Permits.FakeCourier;

// The courier's wire format (JSON, camelCase). Kept apart from the state so that faults can change behaviour
// without touching the contract.

/// <summary>POST /api/v1/shipments body.</summary>
public sealed record BookingRequest(
    string? Reference,
    string? RecipientName,
    string? RecipientPhone,
    string? Address,
    string? SenderName,
    string? SenderAddress);

public sealed record BookingResponse(string WaybillNumber, string Status, DateTimeOffset BookedAt);

public sealed record TrackingEventResponse(int Sequence, string Status, DateTimeOffset OccurredAt, string Detail, string? SignedBy);

public sealed record TrackingResponse(string WaybillNumber, IReadOnlyList<TrackingEventResponse> Events);
