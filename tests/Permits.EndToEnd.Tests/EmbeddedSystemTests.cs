using Microsoft.AspNetCore.Builder;
using Permits.Embedded;
using Permits.LocalInfra;
using Permits.Testing;

namespace Permits.EndToEnd.Tests;

/// <summary>The embedded mode: every service in one process, SQLite files, the in-memory bus, the fake courier.</summary>
public sealed class When_a_licence_travels_the_embedded_system : IAsyncLifetime
{
    private WebApplication _app = null!;
    private LicenceJourney _journey = null!;
    private string _portalUrl = "";
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "permits-embedded-tests", Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        var grpc = $"http://127.0.0.1:{FreePort.Next()}";
        _portalUrl = $"http://127.0.0.1:{FreePort.Next()}";
        _app = EmbeddedHost.Build([], new Dictionary<string, string?>
        {
            ["urls"] = _portalUrl,
            ["Grpc:Url"] = grpc,
            ["DataDirectory"] = _dataDirectory,
            ["FakeCourier:Url"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["FakeCourier:StepSeconds"] = "0.3",
            ["Delivery:BookingPollMs"] = "200",
            ["Delivery:TrackingPollMs"] = "300",
            ["Demo:Seed"] = "false",
        });
        await _app.StartAsync();
        var channel = Channels.For(grpc);
        _journey = new LicenceJourney(channel, channel, channel);
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public Task Should_deliver_two_licences_with_consecutive_numbers_and_a_record_per_step() =>
        JourneyAssertions.Should_deliver_two_licences_with_consecutive_numbers_and_a_record_per_step(_journey);

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
