using Grpc.Core;
using Permits.Contracts.Disclosure;
using Permits.Contracts.Disclosure.V1;
using Permits.Testing;

namespace Permits.Disclosure.Tests;

/// <summary>
/// The Disclosure service alone, on its own PostgreSQL database and RabbitMQ virtual host, with five platform
/// clients: zj (浙江, generous limits), zj-small (浙江, quota of 3 calls), zj-burst (浙江, 1 call/s, burst 2), zj-rate
/// (浙江, 1 call/s, burst 5) and js (江苏).
/// Records arrive the real way: published on the bus, consumed from the service's queue.
/// </summary>
public sealed class DisclosureHost : ServiceHost
{
    public const string Zhejiang = "zj-platform";
    public const string ZhejiangSmall = "zj-small";
    public const string ZhejiangBurst = "zj-burst";
    public const string ZhejiangRate = "zj-rate";
    public const string Jiangsu = "js-platform";
    public const string Key = "test-key-0123456789";

    private DisclosureHost(string provider, string? connectionString)
        : base("disclosure", provider, connectionString)
    {
    }

    public DisclosureLog.DisclosureLogClient Log => new(Channel);

    public OpenData.OpenDataClient OpenData => new(Channel);

    /// <param name="overrides">More settings; a given database (ConnectionStrings:Database) makes this another replica.</param>
    public static async Task<DisclosureHost> StartAsync(IDictionary<string, string?>? overrides = null)
    {
        string? Given(string key) => overrides?.TryGetValue(key, out var value) == true ? value : null;
        var host = new DisclosureHost(Given("Database:Provider") ?? "PostgreSql", Given("ConnectionStrings:Database"));
        await host.StartAsync(new ServiceSetup
        {
            RabbitMq = Given("Bus:Transport") != "InMemory",
            Relay = true,
            Settings =
            {
                ["Disclosure:Platforms:Clients:zj-platform:Province"] = "33",
                ["Disclosure:Platforms:Clients:zj-platform:Key"] = Key,
                ["Disclosure:Platforms:Clients:zj-platform:Limits:RequestsPerSecond"] = "100000",
                ["Disclosure:Platforms:Clients:zj-platform:Limits:Burst"] = "100000",
                ["Disclosure:Platforms:Clients:zj-platform:Limits:Quota"] = "10000000",
                ["Disclosure:Platforms:Clients:zj-small:Province"] = "33",
                ["Disclosure:Platforms:Clients:zj-small:Key"] = Key,
                ["Disclosure:Platforms:Clients:zj-small:Limits:RequestsPerSecond"] = "1",
                ["Disclosure:Platforms:Clients:zj-small:Limits:Burst"] = "100",
                ["Disclosure:Platforms:Clients:zj-small:Limits:Quota"] = "3",
                ["Disclosure:Platforms:Clients:zj-burst:Province"] = "33",
                ["Disclosure:Platforms:Clients:zj-burst:Key"] = Key,
                ["Disclosure:Platforms:Clients:zj-burst:Limits:RequestsPerSecond"] = "1",
                ["Disclosure:Platforms:Clients:zj-burst:Limits:Burst"] = "2",
                ["Disclosure:Platforms:Clients:zj-rate:Limits:RequestsPerSecond"] = "1",
                ["Disclosure:Platforms:Clients:zj-rate:Limits:Burst"] = "5",
                ["Disclosure:Platforms:Clients:js-platform:Province"] = "32",
                ["Disclosure:Platforms:Clients:js-platform:Key"] = Key,
            },
            Overrides = overrides,
            Add = builder => builder.AddDisclosureService(),
            Map = app => app.MapDisclosureService(),
        });
        return host;
    }

    /// <summary>A second replica of this host: its own process state and queue, the same database.</summary>
    public Task<DisclosureHost> StartReplicaAsync() =>
        StartAsync(new Dictionary<string, string?> { ["ConnectionStrings:Database"] = ConnectionString });

    /// <summary>A platform's client-credentials token (signed with the test key this host trusts) as gRPC metadata.</summary>
    public static Metadata Credentials(string client) => Bearer(TokenOf(client));

    /// <summary>The token Identity would issue to a platform client: its province (32 江苏 for js-*, else 33 浙江), scope disclosure.read.</summary>
    public static string TokenOf(string client) => Tokens.Platform(client.StartsWith("js-", StringComparison.Ordinal) ? "32" : "33", client);

    public Task PublishAsync(DisclosureRecorded record, CancellationToken cancellationToken = default) =>
        Bus.Publish(record, cancellationToken);

    public Task<long> CountAsync() => ScalarAsync<long>("SELECT COUNT(*) FROM disclosure_records");

    /// <summary>Waits until the log holds <paramref name="count"/> records (bounded).</summary>
    public Task WaitForCountAsync(long count, TimeSpan timeout) =>
        WaitUntilAsync(async () => await CountAsync() >= count, $"{count} records in the log", (int)timeout.TotalSeconds);

    public Task ExecuteSqlAsync(string sql, object? parameters = null) => ExecuteAsync(sql, parameters);
}
