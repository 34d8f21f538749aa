using System.Net.Http.Json;
using Microsoft.Extensions.Http.Resilience;

namespace Permits.Notifications.Sms;

/// <summary>
/// The SMS gateway's HTTP API (<c>POST {Sms:BaseUrl}/api/v1/messages {phone, text, clientMessageId}</c> → 202), the
/// same the fake gateway (deploy/Permits.FakeSms) serves and Identity sends sign-in codes through. Behind the shared
/// resilience pipeline; a send that still fails throws <see cref="SmsGatewayException"/>, and the sender tries again
/// later. Every send carries the message's own id as the gateway's client message id (what real gateways dedupe on):
/// a sender that died after the gateway accepted but before it recorded the send, or an in-call retry of a request
/// whose answer was lost, sends the same id again and the gateway sends the text once.
/// </summary>
public sealed class SmsGatewayClient(HttpClient http)
{
    public async Task SendAsync(Guid messageId, string phone, string text, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsJsonAsync(
                "api/v1/messages", new { phone, text, clientMessageId = ClientMessageId(messageId) }, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new SmsGatewayException($"The SMS gateway is unreachable: {ex.Message}", ex);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new SmsGatewayException($"The SMS gateway refused the message with status {(int)response.StatusCode}.");
            }
        }
    }

    /// <summary>The id the gateway dedupes a message on: the notification message's id, 32 hex digits.</summary>
    public static string ClientMessageId(Guid messageId) => messageId.ToString("N");

    /// <summary>The options name of this client's standard resilience pipeline ("{client}-standard").</summary>
    public const string ResiliencePipeline = nameof(SmsGatewayClient) + "-standard";

    /// <summary>
    /// <c>Sms:Resilience:Retries</c>, <c>RetryDelayMs</c>, <c>AttemptTimeoutMs</c> and <c>TotalTimeoutMs</c>: the
    /// in-call retries of the standard pipeline, left at its defaults (3, 2 s, 10 s, 30 s) unless set. Short in tests,
    /// where the sender's own retries from the database are under test.
    /// </summary>
    public static void ConfigureResilience(HttpStandardResilienceOptions options, IConfiguration configuration)
    {
        var section = configuration.GetSection("Sms:Resilience");
        options.Retry.MaxRetryAttempts = section.GetValue("Retries", options.Retry.MaxRetryAttempts);
        options.Retry.Delay = TimeSpan.FromMilliseconds(section.GetValue("RetryDelayMs", options.Retry.Delay.TotalMilliseconds));
        options.AttemptTimeout.Timeout = TimeSpan.FromMilliseconds(
            section.GetValue("AttemptTimeoutMs", options.AttemptTimeout.Timeout.TotalMilliseconds));
        options.TotalRequestTimeout.Timeout = TimeSpan.FromMilliseconds(
            section.GetValue("TotalTimeoutMs", options.TotalRequestTimeout.Timeout.TotalMilliseconds));
        // The breaker samples over at least twice the attempt timeout (the pipeline's own rule).
        if (options.CircuitBreaker.SamplingDuration < options.AttemptTimeout.Timeout * 2)
        {
            options.CircuitBreaker.SamplingDuration = options.AttemptTimeout.Timeout * 2;
        }
    }

    public static Uri BaseAddressFrom(IConfiguration configuration)
    {
        var url = configuration["Sms:BaseUrl"];
        return Uri.TryCreate(url, UriKind.Absolute, out var uri)
            ? new Uri(uri.AbsoluteUri.EndsWith('/') ? uri.AbsoluteUri : uri.AbsoluteUri + "/")
            : throw new InvalidOperationException("Sms:BaseUrl is not set: Notifications sends its messages through that SMS gateway.");
    }
}

public sealed class SmsGatewayException(string message, Exception? inner = null) : Exception(message, inner);
