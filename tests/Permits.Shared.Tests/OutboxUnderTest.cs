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
    private readonly List<RabbitMqOutboxPublisher> _publishers = [];
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

    /// <summary>A relay as a replica runs it: its own claimant, its own connection to the broker (the service's publisher).</summary>
    public Task<OutboxRelay<StepTestModule>> RelayAsync(TimeProvider? time = null, ILogger<OutboxRelay<StepTestModule>>? logger = null)
    {
        var publisher = new RabbitMqOutboxPublisher(
            new Uri(_amqp), time ?? TimeProvider.System, logger is null ? NullLogger<RabbitMqOutboxPublisher>.Instance : new Renamed(logger));
        _publishers.Add(publisher);
        return Task.FromResult(new OutboxRelay<StepTestModule>(
            Database, new OutboxSignal<StepTestModule>(), publisher, new RelaySettings(true, TimeSpan.FromSeconds(1)), Settings,
            time ?? TimeProvider.System, logger ?? NullLogger<OutboxRelay<StepTestModule>>.Instance));
    }

    /// <summary>The relay's logger for its publisher too, so a test's output shows both.</summary>
    private sealed class Renamed(ILogger inner) : ILogger<RabbitMqOutboxPublisher>
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            inner.Log(logLevel, eventId, state, exception, formatter);
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
        foreach (var publisher in _publishers)
        {
            await publisher.DisposeAsync();
        }

        await _counter.DisposeAsync();
    }
}
