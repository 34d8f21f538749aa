using System.Net.Http.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Permits.Contracts;
using Permits.Contracts.Intake;
using Permits.Contracts.Licensing;
using Permits.Contracts.Notifications.V1;
using Permits.FakeSms;
using Permits.LocalInfra;
using Permits.Notifications.Workers;
using Permits.Testing;

namespace Permits.Notifications.Tests;

/// <summary>
/// The Notifications service alone on a real PostgreSQL database (the in-memory bus, or RabbitMQ where asked), next to
/// the fake SMS gateway as a real HTTP server on loopback, on a clock the test moves (10:00 China time unless told):
/// the test publishes the events other services would. The sender polls fast and retries soon; the gateway client
/// gives up within a second, so the sender's own retries are what a test sees.
/// </summary>
public sealed class NotificationsHost : ServiceHost
{
    public const string County = "330424";
    public const string OtherCounty = "330421";
    public const string Phone = "13800571234";

    private NotificationsHost(string smsUrl, string? connectionString)
        : base("notifications", connectionString: connectionString)
    {
        SmsUrl = smsUrl;
        Sms = new HttpClient { BaseAddress = new Uri(smsUrl) };
    }

    public string SmsUrl { get; }

    /// <summary>To the fake gateway's API (what it "sent").</summary>
    public HttpClient Sms { get; }

    public required ManualTime Time { get; init; }

    public Messages.MessagesClient Client => new(Channel);

    /// <param name="gatewayUp">Whether the fake gateway runs from the start (else <see cref="StartGatewayAsync"/>).</param>
    /// <param name="connectionString">The database of an earlier instance (a restart); null for a fresh one.</param>
    public static async Task<NotificationsHost> StartAsync(
        ManualTime? time = null,
        bool gatewayUp = true,
        bool rabbitMq = false,
        string? connectionString = null,
        string? smsUrl = null,
        Dictionary<string, string?>? settings = null)
    {
        var host = new NotificationsHost(
            smsUrl ?? $"http://127.0.0.1:{FreePort.Next()}",
            connectionString ?? await CreateDatabaseAsync("notifications"))
        {
            Time = time ?? ManualTime.AtChinaTime(2026, 3, 2),
        };
        if (gatewayUp)
        {
            await host.StartGatewayAsync();
        }

        var setup = new ServiceSetup
        {
            Settings =
            {
                ["Sms:BaseUrl"] = host.SmsUrl,
                ["Sms:Resilience:Retries"] = "1",
                ["Sms:Resilience:RetryDelayMs"] = "20",
                ["Sms:Resilience:AttemptTimeoutMs"] = "500",
                ["Sms:Resilience:TotalTimeoutMs"] = "1500",
                ["Notifications:PollMs"] = "50",
                ["Notifications:RetryBaseMs"] = "100",
                ["Notifications:RetryMaxMs"] = "400",
            },
            Overrides = settings,
            Time = host.Time,
            RabbitMq = rabbitMq,
            Add = builder => builder.AddNotificationsService(),
            Map = app => app.MapNotificationsService(),
        };
        await host.StartAsync(setup);
        return host;
    }

    /// <summary>Starts the fake gateway (at <see cref="SmsUrl"/>), e.g. after a test ran without one.</summary>
    public async Task StartGatewayAsync()
    {
        await StartBesideAsync(FakeSmsServer.Build(SmsUrl));
    }

    /// <summary>Bearer headers of a county officer (by default a 受理 clerk of <see cref="County"/>).</summary>
    public static global::Grpc.Core.Metadata AsOfficer(string county = County, string role = "clerk") =>
        Bearer(Tokens.OfficerFor("permits-notifications", county, role));

    /// <summary>The applicant's contact, as Intake's ApplicationSubmitted gives it; returns the application id.</summary>
    public async Task<Guid> SubmitAsync(string phone = Phone, string? applicationNumber = null, string county = County)
    {
        var applicationId = Guid.NewGuid();
        await PublishAndWaitAsync(
            new ApplicationSubmitted(
                applicationId, applicationNumber ?? NumberOf(applicationId), county, RequestTypes.New, "Individual", "海盐测试便利店", null,
                "王小明", "海盐县武原街道测试路 1 号", 30m, null,
                new DeliveryChoice(DeliveryMethod.Pickup, "王小明", phone, null), DateTimeOffset.UtcNow),
            Guid.NewGuid());
        return applicationId;
    }

    /// <summary>Publishes an event whose type is known only at run time and returns once it is consumed.</summary>
    public async Task PublishAndWaitAsync(object message)
    {
        var messageId = Guid.NewGuid();
        var consumed = Faults.ConsumedAsync(messageId);
        await Bus.Publish(message, message.GetType(), Pipe.Execute<PublishContext>(context => context.MessageId = messageId));
        await consumed.WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>Waits (bounded) until the expiry reminder worker finished <paramref name="count"/> more passes.</summary>
    public async Task ReminderPassesAsync(int count)
    {
        var worker = Services.GetRequiredService<ExpiryReminderWorker>();
        var target = worker.CompletedPasses + count;
        await WaitUntilAsync(() => Task.FromResult(worker.CompletedPasses >= target), $"{count} reminder passes");
    }

    public static string NumberOf(Guid applicationId) => "YC" + applicationId.ToString("N")[..10].ToUpperInvariant();

    /// <summary>What the gateway "sent" to <paramref name="phone"/>, oldest first.</summary>
    public async Task<IReadOnlyList<string>> SentToAsync(string phone = Phone)
    {
        var sent = await Sms.GetFromJsonAsync<List<FakeSmsServer.SentMessage>>($"/api/v1/messages?phone={phone}") ?? [];
        return sent.OrderBy(m => m.SentAt).Select(m => m.Text).ToList();
    }

    /// <summary>Waits (bounded) until the gateway has <paramref name="count"/> messages for the number; returns them.</summary>
    public async Task<IReadOnlyList<string>> WaitForSentAsync(int count, string phone = Phone)
    {
        IReadOnlyList<string> sent = [];
        await WaitUntilAsync(async () => (sent = await SentToAsync(phone)).Count >= count, $"{count} messages to {phone}");
        return sent;
    }

    /// <summary>The status of the one message of <paramref name="template"/> about the application.</summary>
    public Task<string?> StatusAsync(Guid applicationId, string template) =>
        ScalarAsync<string?>(
            "SELECT status FROM notification_messages WHERE application_id = @Id AND template = @Template",
            new { Id = applicationId, Template = template });

    public Task<long> CountAsync(Guid applicationId) =>
        ScalarAsync<long>("SELECT COUNT(*) FROM notification_messages WHERE application_id = @Id", new { Id = applicationId });

    public override async ValueTask DisposeAsync()
    {
        Sms.Dispose();
        await base.DisposeAsync();
    }
}
