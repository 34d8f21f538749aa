using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Permits.Embedded;
using Permits.Testing;

namespace Permits.EndToEnd.Tests;

/// <summary>
/// The embedded system (`./build.sh run`: every service in one process, SQLite files, the in-memory bus, the fake
/// courier and SMS gateway) on free loopback ports, with real sign-in for officers and shopkeepers and a journey driver
/// on it. One place for how the end-to-end tests start it; each adds only the settings its test is about.
/// </summary>
public sealed class EmbeddedUnderTest : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EmbeddedUnderTest(WebApplication app, string portalUrl, string smsUrl, GrpcChannel channel, LicenceJourney journey)
    {
        _app = app;
        PortalUrl = portalUrl;
        SmsUrl = smsUrl;
        Channel = channel;
        Journey = journey;
    }

    public string PortalUrl { get; }

    /// <summary>The fake SMS gateway: sign-in codes and every notification land here.</summary>
    public string SmsUrl { get; }

    public GrpcChannel Channel { get; }

    public LicenceJourney Journey { get; }

    public IServiceProvider Services => _app.Services;

    /// <param name="dataDirectory">Where the SQLite files and keys go (a fresh folder per test class).</param>
    /// <param name="settings">Further settings, over the defaults here.</param>
    public static async Task<EmbeddedUnderTest> StartAsync(string dataDirectory, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var system = new EmbeddedSettings();
        var app = EmbeddedHost.Build([], system.For(dataDirectory, settings));
        await app.StartAsync();
        var channel = Channels.For(system.GrpcUrl);
        return new EmbeddedUnderTest(app, system.PortalUrl, system.SmsUrl, channel, system.Journey(channel));
    }

    public async ValueTask DisposeAsync()
    {
        Journey.Officers.Dispose();
        Journey.Shopkeepers.Dispose();
        Channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
