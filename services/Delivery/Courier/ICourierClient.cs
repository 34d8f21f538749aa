namespace Permits.Delivery.Courier;

/// <summary>The courier company's API as Delivery needs it. The idempotency key makes a repeated booking return the first one.</summary>
public interface ICourierClient
{
    Task<CourierBooking> BookAsync(CourierBookingRequest request, string idempotencyKey, CancellationToken ct);

    /// <summary>Every event the courier has for the waybill so far, as it reports them (not necessarily in order).</summary>
    Task<IReadOnlyList<CourierEvent>> GetEventsAsync(string waybillNumber, CancellationToken ct);

    /// <summary>Another delivery attempt (number <paramref name="attempt"/>) after a failed one; repeating it changes nothing.</summary>
    Task RedeliverAsync(string waybillNumber, int attempt, CancellationToken ct);

    /// <summary>Bring the parcel back to the sender (the service hall) as instruction <paramref name="attempt"/>; repeating it changes nothing.</summary>
    Task ReturnAsync(string waybillNumber, int attempt, CancellationToken ct);
}

/// <param name="Reference">Our reference printed on the waybill: the application number.</param>
public sealed record CourierBookingRequest(
    string Reference,
    string RecipientName,
    string RecipientPhone,
    string Address,
    string SenderName,
    string SenderAddress,
    string? CallbackUrl = null);

public sealed record CourierBooking(string WaybillNumber, DateTimeOffset BookedAt);

/// <param name="Status">One of <see cref="CourierStatuses"/>, or another status the courier reports (kept, not acted on).</param>
/// <param name="SignedBy">Who signed, on <see cref="CourierStatuses.Delivered"/>.</param>
public sealed record CourierEvent(int Sequence, string Status, DateTimeOffset OccurredAt, string Detail, string? SignedBy);

/// <summary>The courier's event statuses that change a shipment.</summary>
public static class CourierStatuses
{
    public const string PickedUp = "PickedUp";
    public const string InTransit = "InTransit";
    public const string Delivered = "Delivered";
    public const string Failed = "Failed";
    public const string Returning = "Returning";
    public const string Returned = "Returned";
}

/// <summary>The courier company the bureau contracts with.</summary>
public static class CourierCompany
{
    public const string Name = "顺丰速运";
}
