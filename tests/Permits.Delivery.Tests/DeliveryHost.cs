using System.Globalization;
using System.Net.Http.Json;
using Permits.Contracts;
using Permits.Contracts.Certificate;
using Permits.Contracts.Delivery.V1;
using Permits.Contracts.Intake;
using Permits.Contracts.Licensing;
using Permits.Delivery.Courier;
using Permits.Delivery.Features;
using Permits.FakeCourier;
using Permits.Intake;
using Permits.LocalInfra;
using Permits.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Permits.Delivery.Tests;

/// <summary>
/// The Delivery service alone on a real PostgreSQL database, with the in-memory bus (the test publishes the events
/// it consumes) and the outbox relay off (every message it published stays in the outbox to be counted), next to
/// the fake courier as a real HTTP server on loopback. Workers poll fast and the courier's steps are short. Calls
/// carry test access tokens (<see cref="Tokens"/>, validated by the real bearer handler). With <c>withIntake</c>,
/// Intake runs in the same host on its own database, as in the embedded host, so Delivery can ask it who owns an
/// application.
/// </summary>
public sealed class DeliveryHost : ServiceHost
{
    public const string Secret = "test-webhook-secret";
    public const string County = "330424";
    public const string OtherCounty = "330421";

    private DeliveryHost(string courierUrl, string connectionString)
        : base("delivery", connectionString: connectionString)
    {
        Http = new HttpClient { BaseAddress = new Uri(HttpUrl) };
        Courier = new HttpClient { BaseAddress = new Uri(courierUrl) };
    }

    public Shipments.ShipmentsClient Client => new(Channel);

    /// <summary>Intake's gRPC, when the host runs it (<c>withIntake</c>).</summary>
    public Permits.Contracts.Intake.V1.Applications.ApplicationsClient Intake => new(Channel);

    /// <summary>Bearer headers of a county officer (by default a 受理 clerk of <see cref="County"/>).</summary>
    public static global::Grpc.Core.Metadata AsOfficer(string county = County, string role = "clerk") =>
        Bearer(Tokens.OfficerFor("permits-delivery", county, role));

    /// <summary>Bearer headers of a signed-in shopkeeper.</summary>
    public static global::Grpc.Core.Metadata AsApplicant(string phoneNumber = "13800571234") =>
        Bearer(Tokens.Applicant(phoneNumber, audience: "permits-delivery"));

    /// <summary>The officer subject <see cref="AsOfficer"/> carries.</summary>
    public static string OfficerSubject(string county = County, string role = "clerk") => $"officer-{county}-{role}";

    /// <summary>To Delivery's HTTP endpoint (the webhook).</summary>
    public HttpClient Http { get; }

    /// <summary>To the fake courier (its API and /admin).</summary>
    public HttpClient Courier { get; }

    public CourierCircuit Circuit => Services.GetRequiredService<CourierCircuit>();

    /// <param name="trackingPollMs">How often the polling fallback asks (with webhooks, after that long without one); long when a test wants webhooks alone.</param>
    /// <param name="webhooks">Whether Delivery gives the courier its callback URL.</param>
    /// <param name="withIntake">Whether Intake runs beside Delivery (needed to tell an application's owner).</param>
    /// <param name="silentAfterMs">With webhooks, how long a shipment must be silent before it is polled (default: <paramref name="trackingPollMs"/>).</param>
    public static async Task<DeliveryHost> StartAsync(
        int trackingPollMs = 300, bool webhooks = true, CourierFaults? faults = null, bool withIntake = false, int? silentAfterMs = null)
    {
        var courierUrl = $"http://127.0.0.1:{FreePort.Next()}";
        var host = new DeliveryHost(courierUrl, await CreateDatabaseAsync("delivery"));
        await host.StartBesideAsync(FakeCourierServer.Build(courierUrl, new FakeCourierOptions
        {
            StepSeconds = 0.15,
            WebhookPollMs = 30,
            WebhookSecret = Secret,
            Faults = faults ?? new CourierFaults(),
        }));
        var setup = new ServiceSetup
        {
            Settings =
            {
                ["Courier:BaseUrl"] = courierUrl,
                ["Courier:CallbackUrl"] = webhooks ? host.HttpUrl + ReceiveCourierWebhook.Path : null,
                ["Courier:WebhookSecret"] = Secret,
                ["Courier:Resilience:AttemptTimeoutMs"] = "400",
                ["Courier:Resilience:TotalTimeoutMs"] = "2000",
                ["Courier:Resilience:Retries"] = "2",
                ["Courier:Resilience:RetryDelayMs"] = "20",
                ["Courier:Resilience:BreakerMinimumThroughput"] = "4",
                ["Courier:Resilience:BreakerSamplingMs"] = "2000",
                ["Courier:Resilience:BreakDurationMs"] = "800",
                ["Delivery:BookingPollMs"] = "100",
                ["Delivery:TrackingPollMs"] = trackingPollMs.ToString(CultureInfo.InvariantCulture),
                // With webhooks on, the fallback polls a shipment silent this long: unless told, as often as polling alone.
                ["Delivery:SilentAfterMs"] = (silentAfterMs ?? trackingPollMs).ToString(CultureInfo.InvariantCulture),
                ["Delivery:RetryBaseMs"] = "100",
                ["Delivery:RetryMaxMs"] = "800",
            },
            Add = builder =>
            {
                builder.AddDeliveryService();
                if (withIntake)
                {
                    builder.AddIntakeService();
                }
            },
            Map = app =>
            {
                app.MapDeliveryService();
                if (withIntake)
                {
                    app.MapIntakeService();
                }
            },
        };
        if (withIntake)
        {
            // Two modules in one host, as in the embedded host: each on its own database.
            setup.Settings["Services:Intake:Url"] = host.GrpcUrl;
            setup.Settings["Services:Delivery:Database:Provider"] = "PostgreSql";
            setup.Settings["Services:Delivery:Database:ConnectionString"] = host.ConnectionString;
            setup.Settings["Services:Intake:Database:Provider"] = "PostgreSql";
            setup.Settings["Services:Intake:Database:ConnectionString"] = await CreateDatabaseAsync("delivery_intake");
            setup.Settings["Intake:Materials:Required"] = "false";
        }

        await host.StartAsync(setup);
        return host;
    }

    /// <summary>Submits (the delivery choice) and issues (the licence) for a new application, as Intake and Certificate would.</summary>
    public Task<Guid> IssueAsync(DeliveryMethod method = DeliveryMethod.Courier, DateTimeOffset? issuedAt = null) =>
        IssueAsync(Guid.NewGuid(), null, method, issuedAt);

    /// <summary>The licence of a known application issued at a given time, for pickup.</summary>
    public Task<Guid> IssueAsync(Guid applicationId, DateTimeOffset issuedAt) =>
        IssueAsync(applicationId, null, DeliveryMethod.Pickup, issuedAt);

    /// <summary>Review's 准予 of the application, as Review would publish it.</summary>
    public Task ApproveAsync(Guid applicationId, DateTimeOffset approvedAt) =>
        PublishAsync(new Permits.Contracts.Review.LicenceApproved(
            applicationId, Guid.NewGuid(), "TEST" + applicationId.ToString("N")[..12].ToUpperInvariant(), County, "Individual",
            "海盐测试便利店", null, "王小明", "海盐县武原街道测试路 1 号", null, "盐烟专许准〔2026〕第00001号", "o-hy-head", approvedAt,
            Permits.Shared.Domain.ServiceClock.DueBy(Permits.Shared.Domain.WorkingDayCalendar.LoadEmbedded(), approvedAt).Date));

    /// <summary>Submits through Intake as the signed-in shopkeeper (who then owns it), then issues it as Certificate would.</summary>
    public async Task<Guid> SubmitAndIssueAsync(string phoneNumber, DeliveryMethod method)
    {
        var request = SampleApplications.Individual(County);
        request.Delivery.Method = method == DeliveryMethod.Pickup
            ? Permits.Contracts.Intake.V1.DeliveryMethod.Pickup
            : Permits.Contracts.Intake.V1.DeliveryMethod.Courier;
        if (method == DeliveryMethod.Pickup)
        {
            request.Delivery.Address = "";
        }

        var submitted = await Intake.SubmitAsync(request, Bearer(Tokens.Applicant(phoneNumber)));
        // Intake's outbox relay is off here: the test hands Delivery the ApplicationSubmitted Intake would publish.
        return await IssueAsync(Guid.Parse(submitted.ApplicationId), submitted.ApplicationNumber, method, null);
    }

    private async Task<Guid> IssueAsync(Guid applicationId, string? applicationNumber, DeliveryMethod method, DateTimeOffset? issuedAt)
    {
        var number = applicationNumber ?? "TEST" + applicationId.ToString("N")[..12].ToUpperInvariant();
        await PublishAsync(new ApplicationSubmitted(
            applicationId, number, County, RequestTypes.New, "Individual", "海盐测试便利店", null, "王小明",
            "海盐县武原街道测试路 1 号", 30m, null,
            new DeliveryChoice(method, "王小明", "13800571234", method == DeliveryMethod.Courier ? "浙江省嘉兴市海盐县武原街道测试路 1 号" : null),
            DateTimeOffset.UtcNow));
        // ApplicationSubmitted first: Delivery would retry CertificateIssued otherwise, which only slows the test down.
        await WaitUntilAsync(
            async () => await ScalarAsync("SELECT COUNT(*) FROM delivery_requests WHERE application_id = @Id", new { Id = applicationId }) == 1,
            "the delivery choice to be kept", seconds: 20);
        await PublishAsync(new CertificateIssued(
            Guid.NewGuid(), applicationId, number, County, "330424100001", "王小明",
            new DateOnly(2026, 1, 1), new DateOnly(2031, 1, 1), issuedAt ?? DateTimeOffset.UtcNow));
        return applicationId;
    }

    /// <summary>The shipment as a county officer sees it (everything but the pickup code).</summary>
    public Task<Shipment> GetAsync(Guid applicationId) =>
        Client.GetCountyShipmentAsync(new GetShipmentRequest { ApplicationId = applicationId.ToString() }, AsOfficer()).ResponseAsync;

    /// <summary>The shipment as the caller of <paramref name="headers"/> sees it through GetShipment (none: the public).</summary>
    public Task<Shipment> GetAsAsync(Guid applicationId, global::Grpc.Core.Metadata? headers) =>
        Client.GetShipmentAsync(new GetShipmentRequest { ApplicationId = applicationId.ToString() }, headers).ResponseAsync;

    /// <summary>The pickup code, read where only the service itself can (tests of the hand-over need it).</summary>
    public async Task<string> PickupCodeAsync(Guid applicationId) =>
        await PickupCodeOrNullAsync(applicationId) ?? throw new InvalidOperationException("No pickup code is set.");

    public async Task<string?> PickupCodeOrNullAsync(Guid applicationId) =>
        (await QueryAsync<string?>("SELECT pickup_code FROM shipments WHERE application_id = @Id", new { Id = applicationId })).Single();

    /// <summary>Waits (bounded) until the shipment reaches the status, and returns it.</summary>
    public Task<Shipment> WaitForStatusAsync(Guid applicationId, string status, int seconds = 30) =>
        WaitForAsync(
            async () =>
            {
                try
                {
                    return await GetAsync(applicationId);
                }
                catch (global::Grpc.Core.RpcException e) when (e.StatusCode == global::Grpc.Core.StatusCode.NotFound)
                {
                    return null;
                }
            },
            s => s.Status == status, $"shipment of {applicationId} to reach {status}", seconds);

    public async Task SetFaultsAsync(CourierFaults faults) =>
        (await Courier.PostAsJsonAsync("/admin/faults", faults)).EnsureSuccessStatusCode();

    public async Task<CourierStats> CourierStatsAsync() =>
        (await Courier.GetFromJsonAsync<CourierStats>("/admin/stats"))!;

    /// <summary>Messages of one type in the outbox (the relay is off, so all of them), for one application.</summary>
    public Task<long> OutboxCountAsync(string typeName, Guid applicationId) =>
        ScalarAsync(
            "SELECT COUNT(*) FROM outbox_messages WHERE message_type LIKE @Type AND body LIKE @Application",
            new { Type = $"Permits.Contracts.%.{typeName},%", Application = $"%{applicationId}%" });

    /// <summary>Disclosure records of one kind for one application.</summary>
    public Task<long> DisclosureCountAsync(string kind, Guid applicationId) =>
        ScalarAsync(
            "SELECT COUNT(*) FROM outbox_messages WHERE message_type LIKE 'Permits.Contracts.Disclosure.DisclosureRecorded,%' AND body LIKE @Kind AND body LIKE @Application",
            new { Kind = $"%\"{kind}\"%", Application = $"%{applicationId}%" });

    public Task<long> ScalarAsync(string sql, object? parameters = null) => ScalarAsync<long>(sql, parameters);

    public override async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Courier.Dispose();
        await base.DisposeAsync();
    }
}
