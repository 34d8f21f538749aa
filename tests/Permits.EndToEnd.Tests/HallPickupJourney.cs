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

    private EmbeddedUnderTest _system = null!;
    private readonly string _dataDirectory = TestData.NewFolder("embedded-tests");

    public LicenceJourney Journey => _system.Journey;

    public GrpcChannel Channel => _system.Channel;

    public string SmsUrl => _system.SmsUrl;

    public IServiceProvider Services => _system.Services;

    public string DataDirectory => _dataDirectory;

    /// <summary>The applicant's application once delivered.</summary>
    public Application Delivered { get; private set; } = null!;

    /// <summary>The case as the head sees it once the licence was handed over and the service recorded.</summary>
    public Case ServedCase { get; private set; } = null!;

    /// <summary>The shipment as the hall left it (handed over).</summary>
    public Shipment HandedOver { get; private set; } = null!;

    public string CorrectionDocumentNumber { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _system = await EmbeddedUnderTest.StartAsync(_dataDirectory, new Dictionary<string, string?>
        {
            // No quiet hours (an empty window) and no cap in reach: the test's messages go out whatever the hour.
            ["Notifications:QuietHoursStart"] = "0",
            ["Notifications:QuietHoursEnd"] = "0",
            ["Notifications:DailyCapPerNumber"] = "100",
            ["Notifications:PollMs"] = "200",
        });
        await TravelAsync();
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

    private async Task TravelAsync()
    {
        var request = Application();
        var submitted = await Journey.SubmitAsync(request);
        var received = await Journey.WaitForCaseAsync(submitted.ApplicationId, County);
        Assert.Equal("AwaitingAcceptance", received.Stage);

        // 补正: the clerk asks for a signed lease; the shopkeeper sees it and resubmits the form.
        var clerk = await Journey.Officers.AsAsync(County, "clerk");
        var correcting = await Journey.Review.RequestCorrectionAsync(new RequestCorrectionRequest
        {
            Action = LicenceJourney.Act(received),
            Items = { new Permits.Contracts.Review.V1.CorrectionItem { Material = "场所使用证明", Reason = "租赁合同未签字" } },
        }, clerk);
        CorrectionDocumentNumber = correcting.CorrectionDocumentNumber;
        Assert.NotEmpty(CorrectionDocumentNumber);
        await Journey.WaitForStatusAsync(submitted.ApplicationId, "CorrectionRequested");
        var shopkeeper = await Journey.Shopkeepers.AsAsync(Phone);
        await Journey.Intake.ResubmitAsync(new ResubmitApplicationRequest { ApplicationId = submitted.ApplicationId, Form = request }, shopkeeper);
        var returned = await Eventually.GetAsync(
            async () => (Case?)await Journey.WaitForCaseAsync(submitted.ApplicationId, County),
            c => c.CorrectionReturned && !c.ClockPaused, Journey.Patience, "the case to see the correction returned");

        var accepted = await Journey.Review.AcceptAsync(LicenceJourney.Act(returned), clerk);
        Assert.Equal("UnderReview", accepted.Stage);
        var approved = await Journey.DecideAsync(accepted);
        Assert.Equal("Approved", approved.Stage);

        // At the hall: the shopkeeper shows the code the system gave them only; the clerk hands the licence over.
        await Journey.WaitForStatusAsync(submitted.ApplicationId, "AwaitingPickup");
        var shipments = new Shipments.ShipmentsClient(Channel);
        var mine = await shipments.GetShipmentAsync(new GetShipmentRequest { ApplicationId = submitted.ApplicationId }, shopkeeper);
        Assert.Matches("^[0-9]{6}$", mine.PickupCode);
        HandedOver = await shipments.ConfirmPickupAsync(new ConfirmPickupRequest
        {
            ApplicationId = submitted.ApplicationId, PickupCode = mine.PickupCode, CollectedBy = Collector,
        }, clerk);
        Assert.Equal("Delivered", HandedOver.Status);

        Delivered = await Journey.WaitForStatusAsync(submitted.ApplicationId, "Delivered");
        ServedCase = await Eventually.GetAsync(
            async () => (Case?)await Journey.WaitForCaseAsync(submitted.ApplicationId, County),
            c => c.ServedMethod.Length > 0, Journey.Patience, "the case to record the service of its decision");
    }

    /// <summary>What the fake gateway received for the applicant's number, oldest first, sign-in codes left out.</summary>
    public async Task<IReadOnlyList<string>> TextsReceivedAsync()
    {
        using var http = new HttpClient();
        var messages = await http.GetFromJsonAsync<JsonElement>($"{SmsUrl}/api/v1/messages?phone={Phone}");
        return messages.EnumerateArray()
            .Select(m => m.GetProperty("text").GetString()!)
            .Where(text => !text.Contains("验证码", StringComparison.Ordinal))
            .Reverse()
            .ToList();
    }
}

/// <summary>Where the tests of <see cref="HallPickupJourney"/> find it.</summary>
[CollectionDefinition(HallPickupJourney.Collection)]
public sealed class HallPickupJourneyCollection : ICollectionFixture<HallPickupJourney>;
