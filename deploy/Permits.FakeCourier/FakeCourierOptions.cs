namespace Permits.FakeCourier;

/// <summary>How the fake courier behaves. Configuration section <c>FakeCourier</c>.</summary>
public sealed record FakeCourierOptions
{
    /// <summary>Seconds between consecutive tracking events: event k appears k × StepSeconds after booking.</summary>
    public double StepSeconds { get; init; } = 2;

    /// <summary>Shared secret the tracking webhooks are signed with (HMAC-SHA256); the receiver must know it too.</summary>
    public string WebhookSecret { get; init; } = WebhookSender.DevelopmentSecret;

    /// <summary>How often the webhook sender looks for events that came due (milliseconds).</summary>
    public int WebhookPollMs { get; init; } = 100;

    /// <summary>Faults switched on from the start (tests and demos switch them at run time with POST /admin/faults).</summary>
    public CourierFaults Faults { get; init; } = new();

    /// <summary>The courier's clock; tests may pass a fake one to step the tracking events exactly.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}

/// <summary>
/// Misbehaviour to switch on (POST /admin/faults replaces the whole set; DELETE /admin/faults clears it). The API
/// faults apply to /api/** only, never to /admin or /health.
/// </summary>
public sealed record CourierFaults
{
    /// <summary>Every API answer is delayed this long: with more than the client's timeout, it is a timeout.</summary>
    public int SlowMs { get; init; }

    /// <summary>Every API request answers 503 (an outage), until switched off.</summary>
    public bool Outage { get; init; }

    /// <summary>The next N API requests answer 503 (counted down).</summary>
    public int ServerErrors { get; init; }

    /// <summary>The next N bookings are made, but the answer is lost (500): only the idempotency key prevents a second booking.</summary>
    public int LoseBookingAnswers { get; init; }

    /// <summary>Every webhook is sent twice.</summary>
    public bool DuplicateWebhooks { get; init; }

    /// <summary>Webhooks are held back and sent newest first; the events list is answered newest first too.</summary>
    public bool OutOfOrderEvents { get; init; }

    /// <summary>No webhooks at all (the receiver must fall back to polling).</summary>
    public bool DropWebhooks { get; init; }

    /// <summary>Shipments booked from now on fail this many delivery attempts (Failed with <see cref="FailureReason"/>).</summary>
    public int FailDeliveries { get; init; }

    public string FailureReason { get; init; } = "收件人不在，电话无人接听";
}
