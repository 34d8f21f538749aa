using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Permits.Contracts.Disclosure.V1;
using Permits.Disclosure;
using Permits.Disclosure.Requests;
using Permits.LocalInfra;
using Permits.Shared.Hosting;
using Permits.Shared.Messaging;
using Permits.Shared.Security;
using Permits.Testing;
using Permits.Shared.Domain;

namespace Permits.DisclosureRequests.Tests;

public enum Engine { PostgreSql, Sqlite }

/// <summary>
/// The Disclosure service alone on a fresh database (PostgreSQL on the test server, or a SQLite file), with a clock
/// the tests set by hand and the in-memory bus (requests publish nothing). Trusts the test tokens.
/// </summary>
public sealed class RequestsHost : IAsyncDisposable
{
    public const string Haiyan = "330424";
    public const string Jiashan = "330421";
    public const string Haining = "330481";
    public const string Kunshan = "320583";

    private readonly WebApplication _app;
    private readonly GrpcChannel _channel;
    private readonly string? _sqliteFile;

    public string GrpcUrl { get; }

    private RequestsHost(WebApplication app, string grpcUrl, string httpUrl, ManualTime time, string? sqliteFile)
    {
        _app = app;
        HttpUrl = httpUrl;
        _sqliteFile = sqliteFile;
        GrpcUrl = grpcUrl;
        _channel = Channels.For(grpcUrl);
        Time = time;
        Public = new InformationRequests.InformationRequestsClient(_channel);
        Desk = new InformationRequestDesk.InformationRequestDeskClient(_channel);
    }

    public ManualTime Time { get; }

    /// <summary>Where the REST (JSON transcoding) face listens.</summary>
    public string HttpUrl { get; }

    public InformationRequests.InformationRequestsClient Public { get; }

    public InformationRequestDesk.InformationRequestDeskClient Desk { get; }

    public IRequestYearFigures Figures => _app.Services.GetRequiredService<IRequestYearFigures>();

    public IServiceProvider Services => _app.Services;

    public static async Task<RequestsHost> StartAsync(Engine engine)
    {
        string connectionString;
        string? sqliteFile = null;
        if (engine == Engine.PostgreSql)
        {
            var servers = await TestServers.GetAsync();
            connectionString = await servers.NewDatabaseAsync("disclosure_requests");
        }
        else
        {
            sqliteFile = Path.Combine(Path.GetTempPath(), $"disclosure-requests-{Guid.NewGuid():N}.db");
            connectionString = $"Data Source={sqliteFile};Pooling=False";
        }

        var grpcUrl = $"http://127.0.0.1:{FreePort.Next()}";
        var httpUrl = $"http://127.0.0.1:{FreePort.Next()}";
        var settings = new Dictionary<string, string?>(Tokens.Configuration)
        {
            ["urls"] = httpUrl,
            ["Grpc:Url"] = grpcUrl,
            ["Database:Provider"] = engine.ToString(),
            ["Database:CreateIfMissing"] = "true",
            ["ConnectionStrings:Database"] = connectionString,
            ["Bus:Transport"] = "InMemory",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        var time = ManualTime.AtChinaTime(2026, 3, 2);
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults();
        builder.AddDisclosureService();
        builder.AddPermitsBus();
        builder.Services.AddSingleton<TimeProvider>(time);
        var app = builder.Build();
        app.MapServiceDefaults();
        app.MapDisclosureService();
        await app.StartAsync();
        return new RequestsHost(app, grpcUrl, httpUrl, time, sqliteFile);
    }

    /// <summary>A disclosure clerk's token (audience permits-disclosure) as gRPC metadata.</summary>
    public static Metadata Clerk(string county = Haiyan) => Bearer(Tokens.OfficerFor(PermitsAudiences.Disclosure, county, PermitsRoles.DisclosureClerk));

    public static Metadata Bearer(string token) => new() { { "Authorization", "Bearer " + token } };

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
    public RequestsHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await RequestsHost.StartAsync(engine);

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

public sealed class PostgresFixture() : HostFixture(Engine.PostgreSql);

public sealed class SqliteFixture() : HostFixture(Engine.Sqlite);
