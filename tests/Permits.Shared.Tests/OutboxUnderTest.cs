using System.Collections.Concurrent;
using Dapper;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Permits.Shared.Data;
using Permits.Shared.Messaging;
using Permits.Testing;

namespace Permits.Shared.Tests;

/// <summary>A message of the tests' own: its name resolves because this process writes it (<see cref="MessageNames.Of"/>).</summary>
public sealed record OutboxProbe(int Number);

/// <summary>
/// One service's outbox on a fresh database (PostgreSQL on the test server, or a SQLite file), relays built as the host
/// builds them, each on its own connection to a fresh RabbitMQ virtual host (as replicas would be), and a consumer on
/// that broker counting every probe it receives by message id.
/// </summary>
public sealed class OutboxUnderTest : IAsyncDisposable
{
    private readonly List<IBusControl> _buses = [];
    private readonly string _amqp;
    private readonly BrokerCounter<OutboxProbe> _counter;

    private OutboxUnderTest(
        ServiceDatabase<StepTestModule> database, string amqp, BrokerCounter<OutboxProbe> counter, MessagingSettings settings)
    {
        Database = database;
        _amqp = amqp;
        _counter = counter;
        Settings = settings;
    }

    public ServiceDatabase<StepTestModule> Database { get; }

    public MessagingSettings Settings { get; }

    /// <summary>How many times the broker delivered each message id.</summary>
    public ConcurrentDictionary<Guid, int> Received => _counter.Received;

    /// <param name="amqp">A virtual host of a broker of the test's own; a fresh one of the test server's when null.</param>
    public static async Task<OutboxUnderTest> StartAsync(string provider, MessagingSettings? settings = null, string? amqp = null)
    {
        DbTypeHandlers.Register();
        var servers = await TestServers.GetAsync();
        var options = provider == "PostgreSql"
            ? new DatabaseOptions(SqlDialect.PostgreSql, await servers.NewDatabaseAsync("outbox"), false)
            : new DatabaseOptions(SqlDialect.Sqlite,
                $"Data Source={Path.Combine(TestData.NewFolder("outbox-tests"), "outbox.db")}", true);
        var database = new ServiceDatabase<StepTestModule>(options, new OutboxSignal<StepTestModule>());
        await new SchemaMigrator<StepTestModule>(database, NullLogger<SchemaMigrator<StepTestModule>>.Instance)
            .MigrateAsync(CancellationToken.None);
        amqp ??= await servers.NewVirtualHostAsync("outbox-tests");
        return new OutboxUnderTest(
            database, amqp, await BrokerCounter<OutboxProbe>.StartAsync(amqp, "outbox-probes"), settings ?? MessagingSettings.Default);
    }

    /// <summary>A relay as a replica runs it: its own claimant, its own connection to the broker.</summary>
    public async Task<OutboxRelay<StepTestModule>> RelayAsync(TimeProvider? time = null, ILogger<OutboxRelay<StepTestModule>>? logger = null)
    {
        var bus = TestBus.RabbitMq(_amqp);
        _buses.Add(bus);
        await TestBus.StartAsync(bus);
        return new OutboxRelay<StepTestModule>(
            Database, new OutboxSignal<StepTestModule>(), bus, new RelaySettings(true, TimeSpan.FromSeconds(1)), Settings,
            time ?? TimeProvider.System, logger ?? NullLogger<OutboxRelay<StepTestModule>>.Instance);
    }

    /// <summary>Commits <paramref name="count"/> probes to the outbox, a few a transaction, as services do.</summary>
    public async Task<IReadOnlyList<Guid>> WriteAsync(int count, int from = 0)
    {
        var ids = new List<Guid>();
        for (var i = 0; i < count; i += 5)
        {
            await using var session = await Database.BeginAsync(CancellationToken.None);
            for (var j = i; j < Math.Min(count, i + 5); j++)
            {
                var id = Guid.NewGuid();
                await session.PublishAsync(new OutboxProbe(from + j), id);
                ids.Add(id);
            }

            await session.CommitAsync(CancellationToken.None);
        }

        return ids;
    }

    /// <summary>Runs a relay's passes until it finds nothing to claim; returns how many rows it claimed in all.</summary>
    public static async Task<int> DrainAsync(OutboxRelay<StepTestModule> relay)
    {
        var claimed = 0;
        for (var pass = 0; pass < 10_000; pass++)
        {
            var batch = await relay.PublishPendingAsync(CancellationToken.None);
            if (batch == 0)
            {
                return claimed;
            }

            claimed += batch;
        }

        throw new InvalidOperationException("The relay never ran out of rows.");
    }

    /// <summary>Returns once the counting consumer has taken everything the relays had published.</summary>
    public Task SettledAsync() => _counter.SettledAsync(new OutboxProbe(-1));

    public async Task<long> ScalarAsync(string sql, object? parameters = null)
    {
        await using var connection = await Database.OpenAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<long>(sql, parameters);
    }

    public async Task<string?> TextAsync(string sql, object? parameters = null)
    {
        await using var connection = await Database.OpenAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<string?>(sql, parameters);
    }

    /// <summary>The message ids a query selects, in order.</summary>
    public async Task<IReadOnlyList<Guid>> MessageIdsAsync(string sql)
    {
        await using var connection = await Database.OpenAsync(CancellationToken.None);
        return (await connection.QueryAsync<Guid>(sql)).Order().ToList();
    }

    public async Task ExecuteAsync(string sql, object? parameters = null)
    {
        await using var connection = await Database.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync(sql, parameters);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var bus in _buses)
        {
            await bus.StopAsync();
        }

        await _counter.DisposeAsync();
    }
}
