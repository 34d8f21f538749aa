using System.Data.Common;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Npgsql;
using Permits.Embedded;
using Permits.Testing;

namespace Permits.Security.Tests;

/// <summary>
/// The whole system in one process (the embedded host, as a newcomer runs it), on SQLite files or on PostgreSQL
/// databases of the test server, with Identity issuing real tokens. Only the test clients are added to its
/// configuration: whatever else the embedded mode defaults to is what is tested.
/// </summary>
public sealed class SystemUnderTest : IAsyncDisposable
{
    public static readonly string[] ServiceNames = ["Intake", "Review", "Certificate", "Delivery", "Disclosure", "Identity", "Notifications"];

    private readonly WebApplication _app;
    private readonly IReadOnlyDictionary<string, string> _postgres;

    private SystemUnderTest(WebApplication app, string provider, string dataDirectory, string portalUrl, string grpcUrl,
        IReadOnlyDictionary<string, string> postgres, LicenceJourney journey)
    {
        _app = app;
        Provider = provider;
        DataDirectory = dataDirectory;
        PortalUrl = portalUrl;
        GrpcUrl = grpcUrl;
        _postgres = postgres;
        Journey = journey;
        Channel = Channels.For(grpcUrl);
    }

    public string Provider { get; }

    public string DataDirectory { get; }

    public string PortalUrl { get; }

    public string GrpcUrl { get; }

    public GrpcChannel Channel { get; }

    public LicenceJourney Journey { get; }

    /// <summary>The host's container: what it serves (its endpoints), as opposed to what the contracts say.</summary>
    public IServiceProvider Services => _app.Services;

    public OfficerSignIn Officers => Journey.Officers;

    public ShopkeeperSignIn Shopkeepers => Journey.Shopkeepers;

    /// <param name="provider">Sqlite or PostgreSql (every service's database on the test server).</param>
    public static async Task<SystemUnderTest> StartAsync(string provider)
    {
        var dataDirectory = TestData.NewFolder("security-tests");
        var system = new EmbeddedSettings();
        var configuration = system.For(dataDirectory,
        [
            new("FakeCourier:StepSeconds", "0.2"),
            new("Logging:LogLevel:Default", "Warning"),
            new("Logging:LogLevel:Microsoft.Hosting.Lifetime", "Warning"),
        ]);

        var postgres = new Dictionary<string, string>();
        if (provider == "PostgreSql")
        {
            var servers = await TestServers.GetAsync();
            foreach (var service in ServiceNames)
            {
                postgres[service] = await servers.NewDatabaseAsync("sec_" + service.ToLowerInvariant());
                configuration[$"Services:{service}:Database:Provider"] = "PostgreSql";
                configuration[$"Services:{service}:Database:ConnectionString"] = postgres[service];
            }
        }

        var app = EmbeddedHost.Build([], configuration);
        await app.StartAsync();
        return new SystemUnderTest(app, provider, dataDirectory, system.PortalUrl, system.GrpcUrl, postgres,
            system.Journey(Channels.For(system.GrpcUrl)));
    }

    /// <summary>A connection to one service's database, whichever provider it runs on.</summary>
    public DbConnection OpenDatabase(string service) => Provider == "PostgreSql"
        ? new NpgsqlConnection(_postgres[service])
        : new SqliteConnection($"Data Source={Path.Combine(DataDirectory, service.ToLowerInvariant() + ".db")};Mode=ReadOnly");

    public async ValueTask DisposeAsync()
    {
        Journey.Officers.Dispose();
        Journey.Shopkeepers.Dispose();
        Channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a pool: the temp folder is cleaned by the system.
        }
    }
}
