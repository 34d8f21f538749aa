using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Permits.Contracts.Delivery.V1;
using Permits.Contracts.Intake.V1;
using Permits.Contracts.Review.V1;
using Permits.Embedded;
using Permits.LocalInfra;
using Permits.Testing;

namespace Permits.EndToEnd.Tests;

/// <summary>
/// One new licence through the embedded system the long way, as a shopkeeper and the county's officers live it: the
/// clerk asks for a correction, the shopkeeper resubmits, the clerk accepts, two inspectors, the reviewer and the head
/// decide, and the shopkeeper collects the licence at the hall with the pickup code the system showed them. Run once,
/// read by the tests of what it must leave behind (the SMS the applicant got, the formal documents of the case).
/// Notifications' quiet hours are off (start = end) and the daily cap high, so every message goes out when due.
/// </summary>
public sealed class HallPickupJourney : IAsyncLifetime
{
    /// <summary>The tests that read one journey: they share it (one embedded system, one journey) and run one after the other.</summary>
    public const string Collection = "a corrected licence collected at the hall";

    public const string Phone = "13800579876";
    public const string County = "330424";
    public const string Collector = "王建国";

    /// <summary>
    /// Notifications' settings for a journey's tests: no quiet hours (an empty window) and no cap in reach, so the
    /// messages go out whatever the hour; a fast sender, and a short lease, so a killed sender's work is soon taken over.
    /// </summary>
    public static IReadOnlyDictionary<string, string> NotificationSettings { get; } = new Dictionary<string, string>
    {
        ["Notifications:QuietHoursStart"] = "0",
        ["Notifications:QuietHoursEnd"] = "0",
        ["Notifications:DailyCapPerNumber"] = "100",
        ["Notifications:PollMs"] = "200",
        ["Notifications:LeaseSeconds"] = "5",
    };

    private EmbeddedUnderTest _system = null!;
    private readonly string _dataDirectory = TestData.NewFolder("embedded-tests");

    public LicenceJourney Journey => _system.Journey;

    public GrpcChannel Channel => _system.Channel;

    public string SmsUrl => _system.SmsUrl;

    public IServiceProvider Services => _system.Services;

    public string DataDirectory => _dataDirectory;

    /// <summary>What the journey left behind.</summary>
    public HallPickupTrip Trip { get; private set; } = null!;

    /// <summary>The applicant's application once delivered.</summary>
    public Application Delivered => Trip.Delivered;

    /// <summary>The case as the head sees it once the licence was handed over and the service recorded.</summary>
    public Case ServedCase => Trip.ServedCase;

    /// <summary>The shipment as the hall left it (handed over).</summary>
    public Shipment HandedOver => Trip.HandedOver;

    public string CorrectionDocumentNumber => Trip.CorrectionDocumentNumber;

    public async Task InitializeAsync()
    {
        _system = await EmbeddedUnderTest.StartAsync(
            _dataDirectory, NotificationSettings.ToDictionary(e => e.Key, e => (string?)e.Value));
        await MoveHallAsync(Journey, Channel);
        Trip = await TravelAsync(Journey, Channel);
    }

    /// <summary>Where the county's 系统管理员 moved the hall before the journey: Delivery's pickup, Certificate's documents and the SMS name it.</summary>
    public const string MovedHall = "浙江省嘉兴市海盐县武原街道文昌路 300 号市民中心二楼烟草窗口";

    /// <summary>The county's 系统管理员 moves the hall (Delivery's setting; Certificate hears of it by the event).</summary>
    public static async Task MoveHallAsync(LicenceJourney journey, GrpcChannel delivery)
    {
        var admin = await journey.Officers.AsAsync(County, Permits.Shared.Security.PermitsRoles.SystemAdmin);
        var shipments = new Shipments.ShipmentsClient(delivery);
        var hall = await shipments.GetHallSettingsAsync(new GetHallSettingsRequest(), admin);
        hall.Address = MovedHall;
        await shipments.UpdateHallSettingsAsync(new UpdateHallSettingsRequest { Settings = hall }, admin);
    }

    public async Task DisposeAsync() => await _system.DisposeAsync();

    /// <summary>A new licence in 海盐县, to be collected at the hall.</summary>
    public static SubmitApplicationRequest Application()
    {
        var request = SampleApplications.Individual(County);
        request.ContactPhone = Phone;
        request.Delivery = new DeliveryChoice { Method = DeliveryMethod.Pickup, RecipientName = Collector, RecipientPhone = Phone };
        return request;
    }

    /// <summary>
    /// The journey, in the embedded or the distributed system: <paramref name="delivery"/> reaches Delivery's gRPC;
    /// <paramref name="accepted"/>, if given, runs right after the clerk accepted (where a test may kill a process).
    /// </summary>
    public static async Task<HallPickupTrip> TravelAsync(LicenceJourney journey, GrpcChannel delivery, Func<Task>? accepted = null)
    {
        var request = Application();
        var submitted = await journey.SubmitAsync(request);
        var received = await journey.WaitForCaseAsync(submitted.ApplicationId, County);
        Assert.Equal("AwaitingAcceptance", received.Stage);

        // 补正: the clerk asks for a signed lease; the shopkeeper sees it and resubmits the form.
        var clerk = await journey.Officers.AsAsync(County, "clerk");
        var correcting = await journey.Review.RequestCorrectionAsync(new RequestCorrectionRequest
        {
            Action = LicenceJourney.Act(received),
            Items = { new Permits.Contracts.Review.V1.CorrectionItem { Material = "场所使用证明", Reason = "租赁合同未签字" } },
        }, clerk);
        Assert.NotEmpty(correcting.CorrectionDocumentNumber);
        await journey.WaitForStatusAsync(submitted.ApplicationId, "CorrectionRequested");
        var shopkeeper = await journey.Shopkeepers.AsAsync(Phone);
        await journey.Intake.ResubmitAsync(new ResubmitApplicationRequest { ApplicationId = submitted.ApplicationId, Form = request }, shopkeeper);
        var returned = await Eventually.GetAsync(
            async () => (Case?)await journey.WaitForCaseAsync(submitted.ApplicationId, County),
            c => c.CorrectionReturned && !c.ClockPaused, journey.Patience, "the case to see the correction returned");

        var acceptance = await journey.Review.AcceptAsync(LicenceJourney.Act(returned), clerk);
        Assert.Equal("UnderReview", acceptance.Stage);
        if (accepted is not null)
        {
            await accepted();
        }

        var approved = await journey.DecideAsync(acceptance);
        Assert.Equal("Approved", approved.Stage);

        // At the hall: the shopkeeper shows the code the system gave them only; the clerk hands the licence over.
        await journey.WaitForStatusAsync(submitted.ApplicationId, "AwaitingPickup");
        var shipments = new Shipments.ShipmentsClient(delivery);
        var mine = await shipments.GetShipmentAsync(new GetShipmentRequest { ApplicationId = submitted.ApplicationId }, shopkeeper);
        Assert.Matches("^[0-9]{6}$", mine.PickupCode);
        var handedOver = await shipments.ConfirmPickupAsync(new ConfirmPickupRequest
        {
            ApplicationId = submitted.ApplicationId, PickupCode = mine.PickupCode, CollectedBy = Collector,
        }, clerk);
        Assert.Equal("Delivered", handedOver.Status);

        var delivered = await journey.WaitForStatusAsync(submitted.ApplicationId, "Delivered");
        var served = await Eventually.GetAsync(
            async () => (Case?)await journey.WaitForCaseAsync(submitted.ApplicationId, County),
            c => c.ServedMethod.Length > 0, journey.Patience, "the case to record the service of its decision");
        return new HallPickupTrip(delivered, served, handedOver, correcting.CorrectionDocumentNumber);
    }

    /// <summary>What the fake gateway at <paramref name="smsUrl"/> received for the applicant's number, oldest first, sign-in codes left out.</summary>
    public static async Task<IReadOnlyList<string>> TextsReceivedAsync(string smsUrl)
    {
        using var http = new HttpClient();
        var messages = await http.GetFromJsonAsync<JsonElement>($"{smsUrl}/api/v1/messages?phone={Phone}");
        return messages.EnumerateArray()
            .Select(m => m.GetProperty("text").GetString()!)
            .Where(text => !SmsCodes.IsSignInCode(text))
            .Reverse()
            .ToList();
    }
}

/// <summary>What a hall-pickup journey left behind, for the tests that read it.</summary>
/// <param name="Delivered">The applicant's application once delivered.</param>
/// <param name="ServedCase">The case as the head sees it once the licence was handed over and the service recorded.</param>
/// <param name="HandedOver">The shipment as the hall left it (handed over).</param>
/// <param name="CorrectionDocumentNumber">The 补正 notice's number.</param>
public sealed record HallPickupTrip(Application Delivered, Case ServedCase, Shipment HandedOver, string CorrectionDocumentNumber);

/// <summary>Where the tests of <see cref="HallPickupJourney"/> find it.</summary>
[CollectionDefinition(HallPickupJourney.Collection)]
public sealed class HallPickupJourneyCollection : ICollectionFixture<HallPickupJourney>;
