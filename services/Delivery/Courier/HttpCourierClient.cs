using System.Net.Http.Json;
using System.Text.Json;

namespace Permits.Delivery.Courier;

/// <summary>
/// The courier's HTTP API (<c>Courier:BaseUrl</c>). Its own resilience pipeline (<see cref="CourierResilience"/>)
/// wraps this client in timeouts, retries with jitter and a circuit breaker; retrying a booking POST is safe because
/// every attempt carries the same <c>Idempotency-Key</c>, and the courier books once per key. Redelivery and return
/// instructions are keyed by the attempt number the same way.
/// </summary>
public sealed class HttpCourierClient(HttpClient http) : ICourierClient
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static Uri BaseAddressFrom(IConfiguration configuration)
    {
        var url = configuration["Courier:BaseUrl"];
        if (string.IsNullOrWhiteSpace(url))
        {
            throw new InvalidOperationException(
                "Courier:BaseUrl is not set: Delivery needs the courier API's base address (e.g. http://127.0.0.1:5080).");
        }

        // Relative paths below resolve under the base address only if it ends with a slash.
        return new Uri(url.EndsWith('/') ? url : url + "/");
    }

    public async Task<CourierBooking> BookAsync(CourierBookingRequest request, string idempotencyKey, CancellationToken ct)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "api/v1/shipments")
        {
            Content = JsonContent.Create(request, options: Json),
        };
        message.Headers.Add(IdempotencyKeyHeader, idempotencyKey);
        using var response = await http.SendAsync(message, ct);
        await EnsureSuccessAsync(response, $"Booking {request.Reference}", ct);

        var body = await response.Content.ReadFromJsonAsync<BookingBody>(Json, ct);
        if (body is null || string.IsNullOrWhiteSpace(body.WaybillNumber))
        {
            throw new CourierException($"Booking {request.Reference}: the courier answered without a waybill number.");
        }

        return new CourierBooking(body.WaybillNumber.Trim(), body.BookedAt);
    }

    public async Task<IReadOnlyList<CourierEvent>> GetEventsAsync(string waybillNumber, CancellationToken ct)
    {
        using var response = await http.GetAsync($"api/v1/shipments/{Uri.EscapeDataString(waybillNumber)}/events", ct);
        await EnsureSuccessAsync(response, $"Tracking {waybillNumber}", ct);

        var body = await response.Content.ReadFromJsonAsync<TrackingBody>(Json, ct)
            ?? throw new CourierException($"Tracking {waybillNumber}: the courier answered with an empty body.");
        return (body.Events ?? [])
            .Select(e => new CourierEvent(e.Sequence, e.Status ?? "", e.OccurredAt, e.Detail ?? "", e.SignedBy))
            .ToList();
    }

    public Task RedeliverAsync(string waybillNumber, int attempt, CancellationToken ct) =>
        InstructAsync(waybillNumber, "redelivery", attempt, ct);

    public Task ReturnAsync(string waybillNumber, int attempt, CancellationToken ct) =>
        InstructAsync(waybillNumber, "return", attempt, ct);

    private async Task InstructAsync(string waybillNumber, string instruction, int attempt, CancellationToken ct)
    {
        using var response = await http.PostAsync(
            $"api/v1/shipments/{Uri.EscapeDataString(waybillNumber)}/{instruction}?attempt={attempt}", content: null, ct);
        await EnsureSuccessAsync(response, $"{instruction} of {waybillNumber}", ct);
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var text = await response.Content.ReadAsStringAsync(ct);
        throw new CourierException(
            $"{what}: the courier answered {(int)response.StatusCode} {response.ReasonPhrase}: {(text.Length <= 500 ? text : text[..500])}",
            response.StatusCode);
    }

    private sealed record BookingBody(string? WaybillNumber, string? Status, DateTimeOffset BookedAt);

    private sealed record TrackingBody(string? WaybillNumber, List<EventBody>? Events);

    private sealed record EventBody(int Sequence, string? Status, DateTimeOffset OccurredAt, string? Detail, string? SignedBy);
}
