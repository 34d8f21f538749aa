using System.Data.Common;
using Dapper;
using Grpc.Core;
using Grpc.Net.Client;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Permits.LocalInfra;
using Permits.Shared.Hosting;
using Permits.Shared.Messaging;

namespace Permits.Testing;

/// <summary>
/// One or more service modules booted as the real thing for a test: real gRPC and HTTP on free loopback ports, a
/// fresh database (PostgreSQL on the test server, or a SQLite file), the in-memory bus or a fresh RabbitMQ virtual
/// host, the test tokens trusted, and the outbox relay off unless asked for (a test counts what a call left in the
/// outbox). Every test project's host derives from this and adds only what its service needs.
/// </summary>
public abstract class ServiceHost : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];
    private WebApplication? _app;
    private GrpcChannel? _channel;

    /// <param name="name">Names the database (<c>{name}_tests_…</c>) and the temporary folder.</param>
    /// <param name="provider">PostgreSql or Sqlite.</param>
    /// <param name="connectionString">An existing database (another instance of the same service); null for a fresh one.</param>
    /// <param name="dataDirectory">An existing data folder (shared between instances); null for a fresh one.</param>
    /// <param name="httpPort">A given HTTP port (a restarted instance keeps its address); null for a free one.</param>
    protected ServiceHost(
        string name, string provider = "PostgreSql", string? connectionString = null, string? dataDirectory = null, int? httpPort = null)
    {
        Name = name;
        Provider = provider;
        GrpcUrl = $"http://127.0.0.1:{FreePort.Next()}";
        HttpUrl = $"http://127.0.0.1:{httpPort ?? FreePort.Next()}";
        // Left behind when the host stops: another instance (a restart) may go on with the same folder.
        DataDirectory = dataDirectory ?? TestData.NewFolder($"{name}-tests");
        ConnectionString = connectionString ?? "";
    }

    public string Name { get; }

    public string Provider { get; }

    public string ConnectionString { get; private set; }

    /// <summary>The service's data folder (certificate files, keys, the SQLite file of a fresh database).</summary>
    public string DataDirectory { get; }

    public string GrpcUrl { get; }

    /// <summary>The HTTP/1.1 address, where pages, webhooks and REST transcoding are served.</summary>
    public string HttpUrl { get; }

    public IServiceProvider Services => App.Services;

    /// <summary>One gRPC channel to the host, for the clients a subclass hands out.</summary>
    public GrpcChannel Channel => _channel ??= Channels.For(GrpcUrl);

    public IBus Bus => Services.GetRequiredService<IBus>();

    /// <summary>Consumers of this host that failed; every wait of the host ends with the first of them.</summary>
    public ConsumerFaults Faults { get; } = new();

    private WebApplication App => _app ?? throw new InvalidOperationException("The host is not started.");

    /// <summary>A bearer header for gRPC calls.</summary>
    public static Metadata Bearer(string token) => new() { { "Authorization", "Bearer " + token } };

    /// <summary>A connection string for a fresh database of this provider (SQLite: a file in a new folder).</summary>
    public static async Task<string> CreateDatabaseAsync(string name, string provider = "PostgreSql") =>
        provider == "PostgreSql"
            ? await (await TestServers.GetAsync()).NewDatabaseAsync($"{name}_tests")
            : $"Data Source={Path.Combine(TestData.NewFolder($"{name}-tests"), name + ".db")}";

    /// <summary>Boots the host: the subclass's static StartAsync calls this once.</summary>
    protected async Task StartAsync(ServiceSetup setup)
    {
        if (ConnectionString.Length == 0)
        {
            ConnectionString = Provider == "PostgreSql"
                ? await CreateDatabaseAsync(Name)
                : $"Data Source={Path.Combine(DataDirectory, Name + ".db")}";
        }

        var settings = new Dictionary<string, string?>(Tokens.Configuration)
        {
            ["urls"] = HttpUrl,
            ["Grpc:Url"] = GrpcUrl,
            ["Database:Provider"] = Provider,
            ["Database:CreateIfMissing"] = "true",
            ["ConnectionStrings:Database"] = ConnectionString,
            ["DataDirectory"] = DataDirectory,
            ["Bus:Transport"] = setup.RabbitMq ? "RabbitMq" : "InMemory",
            ["Outbox:RelayEnabled"] = setup.Relay ? "true" : "false",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        if (setup.RabbitMq)
        {
            settings["ConnectionStrings:RabbitMq"] = await (await TestServers.GetAsync()).NewVirtualHostAsync($"{Name}-tests");
        }

        foreach (var (key, value) in setup.Settings.Concat(setup.Overrides ?? []))
        {
            settings[key] = value;
        }

        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults();
        setup.Add(builder);
        if (setup.Time is not null)
        {
            builder.Services.AddSingleton(setup.Time);
        }

        builder.AddPermitsBus();
        // Messages published before the queues are bound would be lost: start only once the bus is up.
        builder.Services.Configure<MassTransitHostOptions>(options => options.WaitUntilStarted = true);
        var app = builder.Build();
        app.MapServiceDefaults();
        setup.Map(app);
        await app.StartAsync();
        _app = app;
        Bus.ConnectConsumeObserver(Faults);
    }

    /// <summary>Something the host started beside the service (another service), disposed of with it.</summary>
    protected T Own<T>(T started) where T : IAsyncDisposable
    {
        _owned.Add(started);
        return started;
    }

    /// <summary>Starts a fake third party (the courier company, the SMS gateway) beside the service, stopped with it.</summary>
    protected async Task<WebApplication> StartBesideAsync(WebApplication fake)
    {
        await fake.StartAsync();
        _owned.Add(new Stopping(fake));
        return fake;
    }

    /// <summary>Publishes an event on the host's bus, as another service would.</summary>
    public Task PublishAsync<T>(T message) where T : class => Bus.Publish(message);

    /// <summary>
    /// Publishes an event with the given message id (a redelivery carries the same one) and returns once the host's
    /// consumer has finished with it, whether it changed anything or not; fails with the consumer's exception if it
    /// failed (after its retries, hence the generous bound).
    /// </summary>
    public async Task PublishAndWaitAsync<T>(T message, Guid messageId) where T : class
    {
        var consumed = Faults.ConsumedAsync(messageId);
        await Bus.Publish(message, context => context.MessageId = messageId);
        await consumed.WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>Waits (bounded) until <paramref name="condition"/> holds; a consumer fault ends the wait at once.</summary>
    public Task WaitUntilAsync(Func<Task<bool>> condition, string what, int seconds = 30) =>
        Eventually.TrueAsync(
            async () =>
            {
                Faults.ThrowIfAny();
                return await condition();
            },
            TimeSpan.FromSeconds(seconds), what);

    /// <summary>Waits (bounded) until <paramref name="probe"/> gives a value that is <paramref name="done"/>.</summary>
    public Task<T> WaitForAsync<T>(Func<Task<T?>> probe, Func<T, bool> done, string what, int seconds = 30) where T : class =>
        Eventually.GetAsync(
            async () =>
            {
                Faults.ThrowIfAny();
                return await probe();
            },
            done, TimeSpan.FromSeconds(seconds), what);

    /// <summary>A connection to the service's own database, to check what it recorded.</summary>
    public DbConnection Open() =>
        Provider == "PostgreSql" ? new NpgsqlConnection(ConnectionString) : new SqliteConnection(ConnectionString);

    public async Task<T> ScalarAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = Open();
        return (await connection.ExecuteScalarAsync<T>(sql, parameters))!;
    }

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = Open();
        return (await connection.QueryAsync<T>(sql, parameters)).AsList();
    }

    public async Task ExecuteAsync(string sql, object? parameters = null)
    {
        await using var connection = Open();
        await connection.ExecuteAsync(sql, parameters);
    }

    /// <summary>Rows of one message type (its full name) in the outbox; the relay is off, so all of them.</summary>
    public Task<long> OutboxCountAsync<T>() =>
        ScalarAsync<long>("SELECT COUNT(*) FROM outbox_messages WHERE message_type LIKE @Type", new { Type = typeof(T).FullName + ",%" });

    public virtual async ValueTask DisposeAsync()
    {
        _channel?.Dispose();
        if (_app is not null)
        {
            await new Stopping(_app).DisposeAsync();
        }

        foreach (var owned in Enumerable.Reverse(_owned))
        {
            await owned.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    private sealed class Stopping(WebApplication app) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}

/// <summary>What one host adds to the common boot in <see cref="ServiceHost"/>.</summary>
public sealed class ServiceSetup
{
    /// <summary>Registers the service module(s) and any test doubles, e.g. <c>b => b.AddIntakeService()</c>.</summary>
    public required Action<WebApplicationBuilder> Add { get; init; }

    /// <summary>Maps the module(s), e.g. <c>app => app.MapIntakeService()</c>.</summary>
    public required Action<WebApplication> Map { get; init; }

    /// <summary>The service's settings for this host (over the common ones).</summary>
    public Dictionary<string, string?> Settings { get; init; } = [];

    /// <summary>Settings the test gave, applied last.</summary>
    public IEnumerable<KeyValuePair<string, string?>>? Overrides { get; init; }

    /// <summary>A clock the test controls, in place of the system's.</summary>
    public TimeProvider? Time { get; init; }

    /// <summary>RabbitMQ (a fresh virtual host on the test server) instead of the in-memory bus.</summary>
    public bool RabbitMq { get; init; }

    /// <summary>Whether the outbox relay publishes (off by default: tests count the outbox).</summary>
    public bool Relay { get; init; }
}
