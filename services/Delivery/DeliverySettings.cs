namespace Permits.Delivery;

/// <summary>
/// How often the workers look for work and how patiently they retry. Configuration: <c>Delivery:BookingPollMs</c>
/// (500), <c>Delivery:TrackingPollMs</c> (1000), <c>Delivery:RetryBaseMs</c> (1000) and <c>Delivery:RetryMaxMs</c>
/// (300000): the capped exponential backoff, with jitter, after courier errors. <c>Courier:CallbackUrl</c> (none):
/// the address of this service's webhook endpoint (…/courier/webhook) given to the courier at booking; without it
/// tracking is by polling alone. <c>Courier:WebhookSecret</c> (none): the shared secret webhooks are signed with;
/// without it every webhook is refused (401). <c>Delivery:SilentAfterMs</c> (600000): with webhooks on, a shipment
/// is polled only when the courier has said nothing of it for this long, the fallback for webhooks lost on the way.
/// </summary>
public sealed record DeliverySettings(TimeSpan BookingPoll, TimeSpan TrackingPoll, TimeSpan RetryBase, TimeSpan RetryMax)
{
    /// <summary>Shipments booked or tracked per pass; the rest wait for the next pass.</summary>
    public const int BatchSize = 20;

    public string? CallbackUrl { get; init; }

    public string? WebhookSecret { get; init; }

    /// <summary>With webhooks on, how long a shipment may stay silent before the fallback polls it.</summary>
    public TimeSpan SilentAfter { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// When a shipment is next asked after, from its dispatch or from the last event heard: the silence period when
    /// the courier calls back (it is told where at booking and can sign), every tracking interval otherwise.
    /// </summary>
    public TimeSpan NextPoll => CallbackUrl is not null && WebhookSecret is not null ? SilentAfter : TrackingPoll;

    public static DeliverySettings From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Delivery");
        return new DeliverySettings(
            TimeSpan.FromMilliseconds(section.GetValue("BookingPollMs", 500)),
            TimeSpan.FromMilliseconds(section.GetValue("TrackingPollMs", 1000)),
            TimeSpan.FromMilliseconds(section.GetValue("RetryBaseMs", 1000)),
            TimeSpan.FromMilliseconds(section.GetValue("RetryMaxMs", 300_000)))
        {
            CallbackUrl = Blank(configuration["Courier:CallbackUrl"]),
            WebhookSecret = Blank(configuration["Courier:WebhookSecret"]),
            SilentAfter = TimeSpan.FromMilliseconds(section.GetValue("SilentAfterMs", 600_000)),
        };
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>Capped exponential backoff after the <paramref name="failures"/>-th consecutive failure, with ±20 % jitter.</summary>
    public TimeSpan Backoff(int failures)
    {
        var exponent = Math.Clamp(failures - 1, 0, 20);
        var delay = RetryBase.TotalMilliseconds * Math.Pow(2, exponent) * (0.8 + (Random.Shared.NextDouble() * 0.4));
        return TimeSpan.FromMilliseconds(Math.Min(RetryMax.TotalMilliseconds, delay));
    }
}
