namespace Permits.FakeCourier;

// The courier's wire format (JSON, camelCase). Kept apart from the state so that faults can change behaviour
// without touching the contract.

/// <summary>POST /api/v1/shipments body. <paramref name="CallbackUrl"/> (optional) receives signed tracking webhooks.</summary>
public sealed record BookingRequest(
    string? Reference,
    string? RecipientName,
    string? RecipientPhone,
    string? Address,
    string? SenderName,
    string? SenderAddress,
    string? CallbackUrl = null);

public sealed record BookingResponse(string WaybillNumber, string Status, DateTimeOffset BookedAt);

public sealed record TrackingEventResponse(int Sequence, string Status, DateTimeOffset OccurredAt, string Detail, string? SignedBy);

public sealed record TrackingResponse(string WaybillNumber, IReadOnlyList<TrackingEventResponse> Events);

/// <summary>POST /api/v1/shipments/{waybill}/redelivery and /return answer this.</summary>
public sealed record InstructionResponse(string WaybillNumber, string Instruction, int Attempt);

/// <summary>The body of a tracking webhook; signed with HMAC-SHA256 over the raw body (<see cref="WebhookSender.SignatureHeader"/>).</summary>
public sealed record WebhookBody(string WaybillNumber, string? Reference, TrackingEventResponse Event);

/// <summary>What the courier has done so far (GET /admin/stats): tests count bookings and webhooks with it.</summary>
public sealed record CourierStats(int Shipments, int BookingRequests, int ApiRequests, int FaultedRequests, int WebhooksSent, int WebhookFailures);
