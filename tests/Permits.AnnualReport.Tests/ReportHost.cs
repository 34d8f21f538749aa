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
using Permits.Shared.Security;
using Permits.Testing;
using Permits.Shared.Domain;

namespace Permits.Reports.Tests;

public enum Engine { PostgreSql, Sqlite }

/// <summary>
/// The Disclosure service alone on a fresh database (PostgreSQL on the test server, or a SQLite file). Records arrive
/// the real way: published on the bus, appended by the service's consumer; the bus is RabbitMQ when asked for (the
/// seed's thousand decisions), else MassTransit's in-memory transport (no broker round trip for tests that need none).
/// A clock the tests set by hand (China time); trusts the test tokens.
/// </summary>
public sealed class ReportHost : IAsyncDisposable
{
    public const string Haiyan = "330424";
    public const string Jiashan = "330421";

    private readonly WebApplication _app;
    private readonly GrpcChannel _channel;
    private readonly string? _sqliteFile;

    private ReportHost(WebApplication app, Engine engine, string connectionString, string grpcUrl, string httpUrl, ManualTime time, string? sqliteFile)
    {
        _app = app;
        Engine = engine;
        ConnectionString = connectionString;
        HttpUrl = httpUrl;
        GrpcUrl = grpcUrl;
        Time = time;
        _sqliteFile = sqliteFile;
        _channel = Channels.For(grpcUrl);
        Reports = new AnnualReports.AnnualReportsClient(_channel);
        Requests = new InformationRequests.InformationRequestsClient(_channel);
        Desk = new InformationRequestDesk.InformationRequestDeskClient(_channel);
    }

    public Engine Engine { get; }

    public string ConnectionString { get; }

    public string HttpUrl { get; }

    public string GrpcUrl { get; }

    public ManualTime Time { get; }

    public AnnualReports.AnnualReportsClient Reports { get; }

    public InformationRequests.InformationRequestsClient Requests { get; }

    public InformationRequestDesk.InformationRequestDeskClient Desk { get; }

    public static async Task<ReportHost> StartAsync(Engine engine, bool rabbitMq = false)
    {
        var servers = engine == Engine.PostgreSql ? await TestServers.GetAsync() : null;
        string connectionString;
        string? sqliteFile = null;
        var settings = new Dictionary<string, string?>(Tokens.Configuration)
        {
            ["Database:Provider"] = engine.ToString(),
            ["Database:CreateIfMissing"] = "true",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        if (servers is not null)
        {
            connectionString = await servers.NewDatabaseAsync("annual_reports");
        }
        else
        {
            sqliteFile = Path.Combine(Path.GetTempPath(), $"annual-reports-{Guid.NewGuid():N}.db");
            connectionString = $"Data Source={sqliteFile};Pooling=False";
        }

        settings["Bus:Transport"] = rabbitMq ? "RabbitMq" : "InMemory";
        if (rabbitMq)
        {
            settings["ConnectionStrings:RabbitMq"] = await (servers ?? await TestServers.GetAsync()).NewVirtualHostAsync("annual-reports");
        }

        var grpcUrl = $"http://127.0.0.1:{FreePort.Next()}";
        var httpUrl = $"http://127.0.0.1:{FreePort.Next()}";
        settings["urls"] = httpUrl;
        settings["Grpc:Url"] = grpcUrl;
        settings["ConnectionStrings:Database"] = connectionString;

        var time = ManualTime.AtChinaTime(2026, 3, 2);
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults();
        builder.AddDisclosureService();
        builder.AddPermitsBus();
        builder.Services.AddSingleton<TimeProvider>(time);
        // Records published before the queue is bound would be lost: start only once the bus is up.
        builder.Services.Configure<MassTransitHostOptions>(options => options.WaitUntilStarted = true);
        var app = builder.Build();
        app.MapServiceDefaults();
        app.MapDisclosureService();
        await app.StartAsync();
        return new ReportHost(app, engine, connectionString, grpcUrl, httpUrl, time, sqliteFile);
    }

    /// <summary>A disclosure clerk's token (audience permits-disclosure) as gRPC metadata.</summary>
    public static Metadata Clerk(string county = Haiyan) =>
        Bearer(Tokens.OfficerFor(PermitsAudiences.Disclosure, county, PermitsRoles.DisclosureClerk));

    public static Metadata Bearer(string token) => new() { { "Authorization", "Bearer " + token } };

    /// <summary>Publishes records on the bus and waits (bounded) until the log holds this many more.</summary>
    public async Task AppendAsync(IReadOnlyList<DisclosureRecorded> records, TimeSpan timeout)
    {
        var before = await ScalarAsync<long>("SELECT COUNT(*) FROM disclosure_records");
        var bus = _app.Services.GetRequiredService<IBus>();
        foreach (var chunk in records.Chunk(200))
        {
            await Task.WhenAll(chunk.Select(r => bus.Publish(r)));
        }

        var expected = before + records.Count;
        await Eventually.TrueAsync(
            async () => await ScalarAsync<long>("SELECT COUNT(*) FROM disclosure_records") >= expected,
            timeout, $"{expected} records in the log");
    }

    public async Task<T> ScalarAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = Open();
        return (await connection.ExecuteScalarAsync<T>(sql, parameters))!;
    }

    public async Task ExecuteAsync(string sql, object? parameters = null)
    {
        await using var connection = Open();
        await connection.ExecuteAsync(sql, parameters);
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_sqliteFile is not null)
        {
            File.Delete(_sqliteFile);
        }
    }

    private System.Data.Common.DbConnection Open() =>
        Engine == Engine.PostgreSql ? new NpgsqlConnection(ConnectionString) : new Microsoft.Data.Sqlite.SqliteConnection(ConnectionString);
}

/// <summary>A clock the test sets by hand (China time); timers still run on real time.</summary>
public sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public static ManualTime AtChinaTime(int year, int month, int day, int hour = 10) =>
        new(new DateTimeOffset(year, month, day, hour, 0, 0, TimeSpan.FromHours(8)));

    public override DateTimeOffset GetUtcNow() => _now.ToUniversalTime();

    public void Set(int year, int month, int day, int hour = 10) =>
        _now = new DateTimeOffset(year, month, day, hour, 0, 0, TimeSpan.FromHours(8));
}

/// <summary>One host per test class, per engine.</summary>
public abstract class HostFixture(Engine engine) : IAsyncLifetime
{
    public ReportHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await ReportHost.StartAsync(engine);

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

public sealed class PostgresFixture() : HostFixture(Engine.PostgreSql);

public sealed class SqliteFixture() : HostFixture(Engine.Sqlite);
