using Dapper;
using Grpc.Core;
using Grpc.Net.Client;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Permits.Contracts.Disclosure;
using Permits.Contracts.Disclosure.V1;
using Permits.Disclosure;
using Permits.LocalInfra;
using Permits.Shared.Hosting;
using Permits.Shared.Messaging;
using Permits.Testing;

namespace Permits.Disclosure.Tests;

/// <summary>
/// The Disclosure service alone, on its own PostgreSQL database and RabbitMQ virtual host, with three platform
/// clients: zj (浙江, generous limits), zj-small (浙江, quota of 3 calls), zj-burst (浙江, 1 call/s, burst 2), zj-rate
/// (浙江, 1 call/s, burst 5) and js (江苏).
/// Records arrive the real way: published on the bus, consumed from the service's queue.
/// </summary>
public sealed class DisclosureHost : IAsyncDisposable
{
    public const string Zhejiang = "zj-platform";
    public const string ZhejiangSmall = "zj-small";
    public const string ZhejiangBurst = "zj-burst";
    public const string ZhejiangRate = "zj-rate";
    public const string Jiangsu = "js-platform";
    public const string Key = "test-key-0123456789";

    private readonly WebApplication _app;
    private readonly GrpcChannel _channel;

    private DisclosureHost(WebApplication app, string connectionString, string grpcUrl, string httpUrl)
    {
        _app = app;
        ConnectionString = connectionString;
        HttpUrl = httpUrl;
        _channel = Channels.For(grpcUrl);
        Log = new DisclosureLog.DisclosureLogClient(_channel);
        OpenData = new OpenData.OpenDataClient(_channel);
    }

    public string ConnectionString { get; }

    public string HttpUrl { get; }

    public DisclosureLog.DisclosureLogClient Log { get; }

    public OpenData.OpenDataClient OpenData { get; }

    public IBus Bus => _app.Services.GetRequiredService<IBus>();

    public static async Task<DisclosureHost> StartAsync(IDictionary<string, string?>? overrides = null)
    {
        var servers = await TestServers.GetAsync();
        // Another replica of an existing host: its database is given in the overrides.
        var connectionString = overrides?.TryGetValue("ConnectionStrings:Database", out var shared) == true && shared is not null
            ? shared
            : await servers.NewDatabaseAsync("disclosure_tests");
        var rabbitMq = await servers.NewVirtualHostAsync("disclosure-tests");
        var grpcUrl = $"http://127.0.0.1:{FreePort.Next()}";
        var httpUrl = $"http://127.0.0.1:{FreePort.Next()}";
        var settings = new Dictionary<string, string?>(Tokens.Configuration)
        {
            ["urls"] = httpUrl,
            ["Grpc:Url"] = grpcUrl,
            ["Database:Provider"] = "PostgreSql",
            ["Database:CreateIfMissing"] = "true",
            ["ConnectionStrings:Database"] = connectionString,
            ["Bus:Transport"] = "RabbitMq",
            ["Logging:LogLevel:Default"] = "Warning",
            ["ConnectionStrings:RabbitMq"] = rabbitMq,
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
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults();
        builder.AddDisclosureService();
        builder.AddPermitsBus();
        // Records published before the queue is bound would be lost: start only once the bus is up.
        builder.Services.Configure<MassTransitHostOptions>(options => options.WaitUntilStarted = true);
        var app = builder.Build();
        app.MapServiceDefaults();
        app.MapDisclosureService();
        await app.StartAsync();
        return new DisclosureHost(app, connectionString, grpcUrl, httpUrl);
    }

    /// <summary>A second replica of this host: its own process state and queue, the same database.</summary>
    public Task<DisclosureHost> StartReplicaAsync() =>
        StartAsync(new Dictionary<string, string?> { ["ConnectionStrings:Database"] = ConnectionString });

    /// <summary>A platform's client-credentials token (signed with the test key this host trusts) as gRPC metadata.</summary>
    public static Metadata Credentials(string client) => new() { { "Authorization", "Bearer " + TokenOf(client) } };

    /// <summary>The token Identity would issue to a platform client: its province (32 江苏 for js-*, else 33 浙江), scope disclosure.read.</summary>
    public static string TokenOf(string client) => Tokens.Platform(client.StartsWith("js-", StringComparison.Ordinal) ? "32" : "33", client);

    public Task PublishAsync(DisclosureRecorded record, CancellationToken cancellationToken = default) =>
        Bus.Publish(record, cancellationToken);

    public async Task<long> CountAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM disclosure_records");
    }

    /// <summary>Waits until the log holds <paramref name="count"/> records (bounded).</summary>
    public Task WaitForCountAsync(long count, TimeSpan timeout) =>
        Eventually.TrueAsync(async () => await CountAsync() >= count, timeout, $"{count} records in the log");

    public async Task ExecuteSqlAsync(string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.ExecuteAsync(sql, parameters);
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
