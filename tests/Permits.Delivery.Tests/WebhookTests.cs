using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Permits.Delivery.Features;
using Permits.FakeCourier;
using Permits.Testing;

namespace Permits.Delivery.Tests;

/// <summary>Webhooks posted by hand (the courier sends none, and polling is slow), so their order is the test's.</summary>
public sealed class When_webhooks_arrive_by_hand : IAsyncLifetime
{
    private DeliveryHost _host = null!;
    private Guid _application;
    private string _waybill = "";

    public async Task InitializeAsync()
    {
        _host = await DeliveryHost.StartAsync(trackingPollMs: 600_000, faults: new CourierFaults { DropWebhooks = true });
        _application = await _host.IssueAsync();
        _waybill = (await _host.WaitForStatusAsync(_application, "Dispatched")).WaybillNumber;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Should_refuse_a_bad_signature_with_401_and_change_nothing()
    {
        var before = await CountsAsync();

        var forged = await PostAsync(Event(1, "PickedUp"), secret: "not-the-secret");
        var unsigned = await PostAsync(Event(1, "PickedUp"), secret: null);
        var tampered = await PostAsync(Event(3, "Delivered", "冒名者"), secret: DeliveryHost.Secret, tamper: true);

        Assert.Equal(HttpStatusCode.Unauthorized, forged);
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned);
        Assert.Equal(HttpStatusCode.Unauthorized, tampered);
        Assert.Equal(before, await CountsAsync());
        Assert.Equal("Dispatched", (await _host.GetAsync(_application)).Status);
    }

    [Fact]
    public async Task Should_apply_reordered_and_replayed_events_once_in_order()
    {
        // Delivered first: it waits for its predecessors.
        Assert.Equal(HttpStatusCode.OK, await PostAsync(Event(3, "Delivered", "王小明")));
        Assert.Equal(HttpStatusCode.OK, await PostAsync(Event(2, "InTransit")));
        var waiting = await _host.GetAsync(_application);
        Assert.Equal("Dispatched", waiting.Status);
        Assert.DoesNotContain(waiting.Events, e => e.Sequence > 0);

        Assert.Equal(HttpStatusCode.OK, await PostAsync(Event(1, "PickedUp")));
        var delivered = await _host.GetAsync(_application);
        Assert.Equal("Delivered", delivered.Status);
        Assert.Equal([1, 2, 3], delivered.Events.Where(e => e.Sequence > 0).Select(e => e.Sequence));
        var after = await CountsAsync();

        // Replays, in any order, change nothing.
        foreach (var replay in new[] { Event(2, "InTransit"), Event(3, "Delivered", "王小明"), Event(1, "PickedUp"), Event(3, "Delivered", "别人") })
        {
            Assert.Equal(HttpStatusCode.OK, await PostAsync(replay));
        }

        Assert.Equal(after, await CountsAsync());
        Assert.Equal("王小明", (await _host.GetAsync(_application)).SignedBy);
        Assert.Equal(1, await _host.OutboxCountAsync("ShipmentDelivered", _application));
    }

    [Fact]
    public async Task Should_answer_404_for_an_unknown_waybill()
    {
        var body = JsonSerializer.Serialize(new WebhookBody("SF000000000000", null,
            new TrackingEventResponse(1, "PickedUp", DateTimeOffset.UtcNow, "快递员已揽收", null)), Json);
        Assert.Equal(HttpStatusCode.NotFound, await PostRawAsync(body, DeliveryHost.Secret, tamper: false));
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private WebhookBody Event(int sequence, string status, string? signedBy = null) =>
        new(_waybill, null, new TrackingEventResponse(sequence, status, DateTimeOffset.UtcNow.AddMinutes(sequence), $"事件 {sequence}", signedBy));

    private Task<HttpStatusCode> PostAsync(WebhookBody body, string? secret = DeliveryHost.Secret, bool tamper = false) =>
        PostRawAsync(JsonSerializer.Serialize(body, Json), secret, tamper);

    private async Task<HttpStatusCode> PostRawAsync(string json, string? secret, bool tamper)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var signature = secret is null ? null : WebhookSender.Sign(secret, bytes);
        if (tamper)
        {
            // Signed, then changed on the way.
            var changed = json.Replace("\"Delivered\"", "\"Failed\"", StringComparison.Ordinal);
            Assert.NotEqual(json, changed);
            bytes = Encoding.UTF8.GetBytes(changed);
        }

        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, ReceiveCourierWebhook.Path) { Content = content };
        if (signature is not null)
        {
            request.Headers.Add(WebhookSender.SignatureHeader, signature);
        }

        using var response = await _host.Http.SendAsync(request);
        return response.StatusCode;
    }

    private async Task<(long Received, long History, long Outbox, string Status)> CountsAsync() =>
        (await _host.ScalarAsync("SELECT COUNT(*) FROM courier_events"),
         await _host.ScalarAsync("SELECT COUNT(*) FROM shipment_events"),
         await _host.ScalarAsync("SELECT COUNT(*) FROM outbox_messages"),
         (await _host.GetAsync(_application)).Status);
}

/// <summary>
/// Webhooks on and the courier telling every step: the polling fallback (for shipments silent too long) never asks
/// the courier about the shipment, where polling every interval asked about each shipment every second for days.
/// </summary>
public sealed class When_the_courier_calls_back_about_every_step
{
    [Fact]
    public async Task Should_deliver_without_asking_the_courier_about_the_shipment()
    {
        await using var host = await DeliveryHost.StartAsync(trackingPollMs: 100, silentAfterMs: 600_000);
        var application = await host.IssueAsync();

        await host.WaitForStatusAsync(application, "Delivered");

        var stats = await host.CourierStatsAsync();
        Assert.True(stats.WebhooksSent >= 3, $"the courier called back {stats.WebhooksSent} times");
        // Every request to the courier's API was a booking: not one tracking GET.
        Assert.Equal(stats.BookingRequests, stats.ApiRequests);
    }
}
