using Permits.LocalInfra;

namespace Permits.Testing;

/// <summary>
/// How a test runs the embedded system (every service in one process, as `./build.sh run` does) on free loopback
/// ports: its own Portal, gRPC and fake SMS gateway addresses, a quick fake courier, no demo data, and the test
/// clients officers and shopkeepers sign in with. One place for these, so the end-to-end, security and browser tests
/// start the same system; each adds only the settings its test is about.
/// </summary>
public sealed class EmbeddedSettings
{
    public string PortalUrl { get; } = $"http://127.0.0.1:{FreePort.Next()}";

    public string GrpcUrl { get; } = $"http://127.0.0.1:{FreePort.Next()}";

    /// <summary>The fake SMS gateway: sign-in codes and every notification land here.</summary>
    public string SmsUrl { get; } = $"http://127.0.0.1:{FreePort.Next()}";

    /// <param name="dataDirectory">Where the SQLite files and keys go (a fresh folder per test class).</param>
    /// <param name="settings">Further settings, over these.</param>
    public Dictionary<string, string?> For(string dataDirectory, IEnumerable<KeyValuePair<string, string?>>? settings = null)
    {
        var configuration = new Dictionary<string, string?>(OfficerSignIn.ClientConfiguration(0))
        {
            ["urls"] = PortalUrl,
            ["Grpc:Url"] = GrpcUrl,
            ["DataDirectory"] = dataDirectory,
            ["FakeCourier:Url"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["FakeCourier:StepSeconds"] = "0.3",
            ["Delivery:BookingPollMs"] = "200",
            ["Delivery:TrackingPollMs"] = "300",
            ["Demo:Seed"] = "false",
            ["FakeSms:Url"] = SmsUrl,
        };
        foreach (var (key, value) in ShopkeeperSignIn.ClientConfiguration(1).Concat(settings ?? []))
        {
            configuration[key] = value;
        }

        return configuration;
    }

    /// <summary>A journey driver on the system: officers sign in at the Identity it hosts (the Portal's origin), shopkeepers by SMS.</summary>
    public LicenceJourney Journey(Grpc.Net.Client.GrpcChannel channel) =>
        new(channel, channel, channel, new OfficerSignIn(PortalUrl), new ShopkeeperSignIn(PortalUrl, SmsUrl));
}
