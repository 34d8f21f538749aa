using System.Data.Common;
using Dapper;
using Npgsql;
using Permits.LocalInfra;
using Permits.Testing;

namespace Permits.EndToEnd.Tests;

/// <summary>Every service as its own process, on a private RabbitMQ virtual host and private PostgreSQL databases.</summary>
public sealed class DistributedSystemFixture : IAsyncLifetime
{
    public static readonly string[] BackEnd = ["Intake", "Review", "Certificate", "Delivery", "Disclosure"];

    private TestServers _servers = null!;

    public DistributedSystem System { get; private set; } = null!;

    public string RabbitMqUri { get; private set; } = "";

    public string DatabaseSuffix { get; } = "_" + Guid.NewGuid().ToString("N")[..8];

    public LicenceJourney Journey { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _servers = await TestServers.GetAsync();
        RabbitMqUri = await _servers.NewVirtualHostAsync("e2e");
        var logs = Path.Combine(RepoPaths.Root, "artifacts", "test-logs", "distributed" + DatabaseSuffix);
        System = await DistributedSystem.StartAsync(new DistributedSystemOptions(
            Configuration(), _servers.DatabaseConnectionString, RabbitMqUri, logs)
        {
            DatabaseSuffix = DatabaseSuffix,
            ExtraEnvironment = JourneySystem.Environment,
            ServiceEnvironment = new Dictionary<string, IReadOnlyDictionary<string, string>>(JourneySystem.TestClients)
            {
                [DistributedSystem.Notifications] = HallPickupJourney.NotificationSettings.ToDictionary(e => e.Key.Replace(":", "__", StringComparison.Ordinal), e => e.Value),
            },
        });
        Journey = new LicenceJourney(
            Channels.For(System.GrpcUrlOf("Intake")),
            Channels.For(System.GrpcUrlOf("Review")),
            Channels.For(System.GrpcUrlOf("Disclosure")),
            new OfficerSignIn(System.UrlOf("Identity")),
            new ShopkeeperSignIn(System.UrlOf("Identity"), System.UrlOf(DistributedSystem.FakeSms)));
    }

    public async Task DisposeAsync()
    {
        Journey?.Officers.Dispose();
        Journey?.Shopkeepers.Dispose();
        await System.DisposeAsync();
    }

    public DbConnection OpenDatabase(string service) =>
        new NpgsqlConnection(_servers.DatabaseConnectionString($"permits_{service.ToLowerInvariant()}{DatabaseSuffix}"));

    public Task<long> PendingMessagesAsync() => _servers.PendingMessagesAsync(RabbitMqUri);

    /// <summary>Row counts of every table of every service, plus every counter's value: what a duplicate would change.</summary>
    public async Task<SortedDictionary<string, long>> SnapshotAsync()
    {
        var snapshot = new SortedDictionary<string, long>();
        foreach (var service in BackEnd)
        {
            await using var connection = OpenDatabase(service);
            var tables = await connection.QueryAsync<string>(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'");
            foreach (var table in tables)
            {
                snapshot[$"{service}.{table}"] = await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM \"{table}\"");
            }

            foreach (var counter in await connection.QueryAsync<(string Name, long Value)>("SELECT name, value FROM counters"))
            {
                snapshot[$"{service}.counter.{counter.Name}"] = counter.Value;
            }
        }

        return snapshot;
    }

    internal static string Configuration() =>
        Environment.GetEnvironmentVariable("PERMITS_TEST_CONFIGURATION")
        ?? (AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug");
}
