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
    private readonly string _dataDirectory = TestData.NewFolder("embedded-tests");
    private EmbeddedUnderTest _system = null!;

    public async Task InitializeAsync() => _system = await EmbeddedUnderTest.StartAsync(_dataDirectory);

    public async Task DisposeAsync() => await _system.DisposeAsync();

    [Fact]
    public Task Should_deliver_two_licences_with_consecutive_numbers_and_a_record_per_step() =>
        JourneyAssertions.Should_deliver_two_licences_with_consecutive_numbers_and_a_record_per_step(_system.Journey);

    [Fact]
    public async Task Should_open_the_feed_to_a_platform_with_a_token_from_identity_for_its_own_province_only()
    {
        await _system.Journey.TravelAsync(SampleApplications.Individual());
        var openData = new OpenData.OpenDataClient(_system.Channel);
        var zhejiang = new Metadata { { "Authorization", "Bearer " + await _system.Journey.Officers.PlatformTokenAsync("platform-zj", "platform-zj-demo-secret") } };
        var jiangsu = new Metadata { { "Authorization", "Bearer " + await _system.Journey.Officers.PlatformTokenAsync("platform-js", "platform-js-demo-secret") } };

        var feed = await openData.ListChangesAsync(new ListRecordsRequest { PageSize = 100 }, zhejiang);
        var refused = await Assert.ThrowsAsync<RpcException>(() =>
            openData.ListChangesAsync(new ListRecordsRequest { CountyCode = "330424" }, jiangsu).ResponseAsync);
        var anonymous = await Assert.ThrowsAsync<RpcException>(() => openData.ListChangesAsync(new ListRecordsRequest()).ResponseAsync);
        // An officer's token opens no platform feed.
        var head = await _system.Journey.Officers.AsAsync("330424", "head");
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
        Assert.Equal("Healthy", await http.GetStringAsync($"{_system.PortalUrl}/health/ready"));
        var home = await http.GetAsync($"{_system.PortalUrl}/");
        Assert.True(home.IsSuccessStatusCode, $"Portal home answered {(int)home.StatusCode}");
        Assert.Contains("烟草", await home.Content.ReadAsStringAsync());
        Assert.True(File.Exists(Path.Combine(_dataDirectory, "intake.db")));
    }
}
