using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Permits.FakeCourier;

/// <summary>
/// Posts each tracking event, once it has happened, to the callback URL given at booking, signed with the shared
/// secret: header <see cref="SignatureHeader"/> = <c>sha256=</c> + lowercase hex HMAC-SHA256 of the raw body. A
/// failed post is tried again on the next round (like real couriers, at least once, perhaps more).
/// </summary>
public sealed partial class WebhookSender(
    ShipmentLedger ledger,
    FaultSwitch faults,
    FakeCourierOptions options,
    ILogger<WebhookSender> logger) : BackgroundService
{
    public const string SignatureHeader = "X-Courier-Signature";
    public const string DevelopmentSecret = "permits-dev-courier-webhook-secret";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public static string Sign(string secret, ReadOnlySpan<byte> body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(Math.Max(10, options.WebhookPollMs)), options.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RoundAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task RoundAsync(CancellationToken ct)
    {
        var current = faults.Current;
        if (current.DropWebhooks)
        {
            return;
        }

        var now = options.Time.GetUtcNow();
        foreach (var shipment in ledger.WithUnsentEvents())
        {
            if (string.IsNullOrWhiteSpace(shipment.Request.CallbackUrl))
            {
                continue;
            }

            foreach (var planned in ledger.Unsent(shipment, now, current.OutOfOrderEvents))
            {
                var body = JsonSerializer.SerializeToUtf8Bytes(
                    new WebhookBody(shipment.WaybillNumber, shipment.Request.Reference, ShipmentLedger.ToResponse(planned)), Json);
                var ok = await PostAsync(shipment.Request.CallbackUrl!, body, ct);
                if (ok && current.DuplicateWebhooks)
                {
                    await PostAsync(shipment.Request.CallbackUrl!, body, ct);
                }

                if (ok)
                {
                    ledger.MarkSent(shipment, planned.Sequence);
                }
                else
                {
                    ledger.MarkFailed(shipment, planned.Sequence);
                    break;
                }
            }
        }
    }

    private async Task<bool> PostAsync(string url, byte[] body, CancellationToken ct)
    {
        try
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
            request.Headers.Add(SignatureHeader, Sign(options.WebhookSecret, body));
            using var response = await _http.SendAsync(request, ct);
            faults.WebhookSent(response.IsSuccessStatusCode);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            LogWebhookFailed(logger, ex, url);
            faults.WebhookSent(false);
            return false;
        }
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    [LoggerMessage(LogLevel.Warning, "Webhook to {Url} failed; will try again")]
    private static partial void LogWebhookFailed(ILogger logger, Exception exception, string url);
}
