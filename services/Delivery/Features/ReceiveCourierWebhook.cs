using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Permits.Delivery.Courier;

namespace Permits.Delivery.Features;

/// <summary>
/// POST /courier/webhook: a tracking event from the courier, signed with the shared secret
/// (<c>X-Courier-Signature: sha256=&lt;hex HMAC-SHA256 of the raw body&gt;</c>). A missing or wrong signature, or no
/// secret configured, is refused with 401 before anything is read into the database. Accepted events take the same
/// path as polled ones (<see cref="ApplyCourierEvents"/>): replays and reordering change nothing.
/// </summary>
public static partial class ReceiveCourierWebhook
{
    public const string Path = "/courier/webhook";
    public const string SignatureHeader = "X-Courier-Signature";
    private const int MaxBodyBytes = 64 * 1024;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Sign(string secret, ReadOnlySpan<byte> body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    public static async Task<IResult> HandleAsync(
        HttpRequest http, DeliverySettings settings, ApplyCourierEvents apply, ILoggerFactory loggers, CancellationToken ct)
    {
        var logger = loggers.CreateLogger(typeof(ReceiveCourierWebhook));
        if (http.ContentLength is > MaxBodyBytes)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        using var buffer = new MemoryStream();
        await http.Body.CopyToAsync(buffer, ct);
        if (buffer.Length > MaxBodyBytes)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        var body = buffer.ToArray();
        if (!IsSigned(settings.WebhookSecret, http.Headers[SignatureHeader].ToString(), body))
        {
            LogRefused(logger, http.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "?");
            return Results.Unauthorized();
        }

        WebhookBody? hook;
        try
        {
            hook = JsonSerializer.Deserialize<WebhookBody>(body, Json);
        }
        catch (JsonException)
        {
            return Results.BadRequest("not a tracking webhook");
        }

        if (hook?.Event is not { Sequence: > 0 } e || string.IsNullOrWhiteSpace(hook.WaybillNumber))
        {
            return Results.BadRequest("waybillNumber and event with a positive sequence are required");
        }

        var known = await apply.ReceiveAsync(
            hook.WaybillNumber.Trim(),
            [new CourierEvent(e.Sequence, e.Status ?? "", e.OccurredAt, e.Detail ?? "", e.SignedBy)],
            ct);
        return known ? Results.Ok() : Results.NotFound();
    }

    private static bool IsSigned(string? secret, string given, byte[] body)
    {
        if (secret is null || given.Length == 0)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(secret, body));
        var actual = Encoding.ASCII.GetBytes(given.Trim().ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    [LoggerMessage(LogLevel.Warning, "Courier webhook from {Remote} refused: missing or wrong signature")]
    private static partial void LogRefused(ILogger logger, string remote);

    private sealed record WebhookBody(string? WaybillNumber, string? Reference, EventBody? Event);

    private sealed record EventBody(int Sequence, string? Status, DateTimeOffset OccurredAt, string? Detail, string? SignedBy);
}
