using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Permits.Contracts.Disclosure.V1;
using Permits.Embedded;
using Permits.LocalInfra;
using Permits.Testing;

namespace Permits.EndToEnd.Tests;

/// <summary>The embedded mode: every service in one process, SQLite files, the in-memory bus, the fake courier.</summary>
public sealed partial class When_a_licence_travels_the_embedded_system(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private WebApplication _app = null!;
    private LicenceJourney _journey = null!;
    private GrpcChannel _channel = null!;
    private string _portalUrl = "";
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "permits-embedded-tests", Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        var grpc = $"http://127.0.0.1:{FreePort.Next()}";
        _portalUrl = $"http://127.0.0.1:{FreePort.Next()}";
        var sms = $"http://127.0.0.1:{FreePort.Next()}";
        var configuration = new Dictionary<string, string?>(OfficerSignIn.ClientConfiguration(0));
        foreach (var (key, value) in ShopkeeperSignIn.ClientConfiguration(1))
        {
            configuration[key] = value;
        }

        _app = EmbeddedHost.Build([], new Dictionary<string, string?>(configuration)
        {
            ["urls"] = _portalUrl,
            ["Grpc:Url"] = grpc,
            ["DataDirectory"] = _dataDirectory,
            ["FakeCourier:Url"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["FakeCourier:StepSeconds"] = "0.3",
            ["Delivery:BookingPollMs"] = "200",
            ["Delivery:TrackingPollMs"] = "300",
            ["Demo:Seed"] = "false",
            // Shopkeepers sign in by SMS: the fake gateway on a port of its own, read by the journey.
            ["FakeSms:Url"] = sms,
        });
        await _app.StartAsync();
        var channel = Channels.For(grpc);
        _channel = channel;
        // Officers sign in at the Identity service this process hosts (the Portal's origin): real tokens.
        _journey = new LicenceJourney(channel, channel, channel, new OfficerSignIn(_portalUrl), new ShopkeeperSignIn(_portalUrl, sms));
    }

    public async Task DisposeAsync()
    {
        _journey.Officers.Dispose();
        _journey.Shopkeepers.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public Task Should_deliver_two_licences_with_consecutive_numbers_and_a_record_per_step() =>
        JourneyAssertions.Should_deliver_two_licences_with_consecutive_numbers_and_a_record_per_step(_journey);

    [Fact]
    public async Task Should_open_the_feed_to_a_platform_with_a_token_from_identity_for_its_own_province_only()
    {
        await _journey.TravelAsync(SampleApplications.Individual());
        var openData = new OpenData.OpenDataClient(_channel);
        var zhejiang = new Metadata { { "Authorization", "Bearer " + await _journey.Officers.PlatformTokenAsync("platform-zj", "platform-zj-demo-secret") } };
        var jiangsu = new Metadata { { "Authorization", "Bearer " + await _journey.Officers.PlatformTokenAsync("platform-js", "platform-js-demo-secret") } };

        var feed = await openData.ListChangesAsync(new ListRecordsRequest { PageSize = 100 }, zhejiang);
        var refused = await Assert.ThrowsAsync<RpcException>(() =>
            openData.ListChangesAsync(new ListRecordsRequest { CountyCode = "330424" }, jiangsu).ResponseAsync);
        var anonymous = await Assert.ThrowsAsync<RpcException>(() => openData.ListChangesAsync(new ListRecordsRequest()).ResponseAsync);
        // An officer's token opens no platform feed.
        var head = await _journey.Officers.AsAsync("330424", "head");
        var officer = await Assert.ThrowsAsync<RpcException>(() => openData.ListChangesAsync(new ListRecordsRequest(), head).ResponseAsync);

        Assert.Contains(feed.Records, r => r.Kind == "shipment-delivered");
        Assert.All(feed.Records, r => Assert.StartsWith("33", r.CountyCode));
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, officer.StatusCode);
    }

    [Fact]
    public async Task Should_serve_the_portal_and_report_healthy()
    {
        using var http = new HttpClient();
        Assert.Equal("Healthy", await http.GetStringAsync($"{_portalUrl}/health/ready"));
        var home = await http.GetAsync($"{_portalUrl}/");
        Assert.True(home.IsSuccessStatusCode, $"Portal home answered {(int)home.StatusCode}");
        Assert.Contains("烟草", await home.Content.ReadAsStringAsync());
        Assert.True(File.Exists(Path.Combine(_dataDirectory, "intake.db")));
    }
}
