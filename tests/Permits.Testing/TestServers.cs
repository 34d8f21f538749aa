using System.Diagnostics;
using Dapper;
using Npgsql;
using Permits.LocalInfra;

namespace Permits.Testing;

/// <summary>
/// The real PostgreSQL and RabbitMQ servers tests run against. `./build.sh test` starts one of each and passes them
/// in (PERMITS_TEST_POSTGRES, PERMITS_TEST_RABBITMQ, PERMITS_TEST_RABBITMQ_CTL_NODE); a test run started another way
/// starts its own once per test process and stops them at exit. Each test gets its own databases and virtual host.
/// </summary>
public sealed class TestServers
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static TestServers? _instance;

    private readonly string _postgresAdmin;
    private readonly string _rabbitMqRoot;
    private readonly string _rabbitNode;

    private TestServers(string postgresAdmin, string rabbitMqRoot, string rabbitNode)
    {
        _postgresAdmin = postgresAdmin;
        _rabbitMqRoot = rabbitMqRoot;
        _rabbitNode = rabbitNode;
    }

    public static async Task<TestServers> GetAsync()
    {
        await Gate.WaitAsync();
        try
        {
            return _instance ??= await StartAsync();
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>A connection string for a fresh, empty database (created here) on the test server.</summary>
    public async Task<string> NewDatabaseAsync(string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(60, prefix.Length + 33)];
        await using var connection = new NpgsqlConnection(_postgresAdmin);
        await connection.OpenAsync();
        await connection.ExecuteAsync($"CREATE DATABASE \"{name}\"");
        return DatabaseConnectionString(name);
    }

    /// <summary>
    /// A connection string for a database by name (it need not exist yet). Idle pooled connections close after a
    /// few seconds: every test has its own database, hence its own pool, and pools outlive the test's hosts — with
    /// Npgsql's default five-minute idle lifetime, finished tests held enough connections to exhaust the server.
    /// </summary>
    public string DatabaseConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder(_postgresAdmin)
        {
            Database = database,
            ConnectionIdleLifetime = 5,
            ConnectionPruningInterval = 1,
        }.ConnectionString;

    /// <summary>A fresh virtual host, so each test's exchanges and queues are its own.</summary>
    public async Task<string> NewVirtualHostAsync(string prefix)
    {
        var name = $"{prefix}-{Guid.NewGuid():N}";
        await RabbitMqCtlAsync("add_vhost", name);
        await RabbitMqCtlAsync("set_permissions", "-p", name, "guest", ".*", ".*", ".*");
        var root = new Uri(_rabbitMqRoot);
        return $"amqp://{root.UserInfo}@{root.Host}:{root.Port}/{Uri.EscapeDataString(name)}";
    }

    /// <summary>Messages ready or unacknowledged in all queues of a virtual host.</summary>
    public async Task<long> PendingMessagesAsync(string amqpUri)
    {
        var vhost = Uri.UnescapeDataString(new Uri(amqpUri).AbsolutePath.TrimStart('/'));
        var output = await RabbitMqCtlAsync("list_queues", "-p", vhost, "--quiet", "--no-table-headers",
            "messages_ready", "messages_unacknowledged");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .SelectMany(line => line.Split('\t', ' '))
            .Where(cell => cell.Length > 0)
            .Sum(long.Parse);
    }

    /// <summary>Each queue of a virtual host with its type (classic, quorum, stream).</summary>
    public async Task<IReadOnlyDictionary<string, string>> QueueTypesAsync(string amqpUri)
    {
        var vhost = Uri.UnescapeDataString(new Uri(amqpUri).AbsolutePath.TrimStart('/'));
        var output = await RabbitMqCtlAsync("list_queues", "-p", vhost, "--quiet", "--no-table-headers", "name", "type");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries))
            .Where(cells => cells.Length == 2)
            .ToDictionary(cells => cells[0], cells => cells[1]);
    }

    private static async Task<TestServers> StartAsync()
    {
        var postgres = Environment.GetEnvironmentVariable("PERMITS_TEST_POSTGRES");
        var rabbit = Environment.GetEnvironmentVariable("PERMITS_TEST_RABBITMQ");
        var node = Environment.GetEnvironmentVariable("PERMITS_TEST_RABBITMQ_CTL_NODE");
        if (!string.IsNullOrEmpty(postgres) && !string.IsNullOrEmpty(rabbit) && !string.IsNullOrEmpty(node))
        {
            return new TestServers(postgres, rabbit, node);
        }

        // Started outside `./build.sh test` (an IDE, plain `dotnet test`): bring our own servers for this process.
        var work = RepoPaths.ServerWork("test-infra");
        var postgresServer = PostgresServer.StartAsync(work);
        var rabbitServer = RabbitMqServer.StartAsync(work);
        var (pg, mq) = (await postgresServer, await rabbitServer);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            pg.DisposeAsync().AsTask().GetAwaiter().GetResult();
            mq.DisposeAsync().AsTask().GetAwaiter().GetResult();
        };
        return new TestServers(pg.ConnectionString("postgres"), mq.AmqpUri("/"), mq.NodeName);
    }

    private async Task<string> RabbitMqCtlAsync(params string[] arguments)
    {
        var info = new ProcessStartInfo("rabbitmqctl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-n");
        info.ArgumentList.Add(_rabbitNode);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"rabbitmqctl {string.Join(' ', arguments)} failed ({process.ExitCode}): {await stderr}{await stdout}");
        }

        return await stdout;
    }
}
