using System.Diagnostics;
using System.Net.Sockets;
using Permits.LocalInfra;

namespace Permits.Build;

/// <summary>
/// <c>infra-check</c> (not in the usage text): starts a PostgreSQL and two RabbitMQ nodes side by side, checks each
/// answers, creates a virtual host, stops them and looks for processes left behind.
/// </summary>
internal static class InfraCheckTarget
{
    public static async Task<int> RunAsync(CancellationToken ct)
    {
        var work = RepoPaths.ServerWork("infra-check");
        var clock = Stopwatch.StartNew();
        var postgresTask = Timed("PostgreSQL", () => PostgresServer.StartAsync(work, ct));
        var rabbitTasks = new[] { Timed("RabbitMQ #1", () => RabbitMqServer.StartAsync(work, ct)), Timed("RabbitMQ #2", () => RabbitMqServer.StartAsync(work, ct)) };
        var failures = 0;
        try
        {
            await Task.WhenAll(postgresTask, Task.WhenAll(rabbitTasks));
            var postgres = postgresTask.Result;
            Console.WriteLine($"PostgreSQL: port {postgres.Port}, {postgres.ConnectionString("postgres")}");
            failures += await CheckPostgresAsync(postgres, ct);
            foreach (var rabbit in rabbitTasks.Select(t => t.Result))
            {
                Console.WriteLine($"RabbitMQ: node {rabbit.NodeName}, port {rabbit.Port}, {rabbit.AmqpUri()}");
                failures += await CheckAmqpAsync(rabbit.Port, ct);
                var vhostClock = Stopwatch.StartNew();
                var uri = await rabbit.CreateVirtualHostAsync("infra-check", ct);
                Console.WriteLine($"  created vhost in {vhostClock.Elapsed.TotalSeconds:0.0} s: {uri}");
            }
        }
        finally
        {
            var stopClock = Stopwatch.StartNew();
            foreach (var task in rabbitTasks.Where(t => t.IsCompletedSuccessfully))
            {
                await Stop(task.Result.NodeName, task.Result);
            }

            if (postgresTask.IsCompletedSuccessfully)
            {
                await Stop("PostgreSQL", postgresTask.Result);
            }

            Console.WriteLine($"stopped all in {stopClock.Elapsed.TotalSeconds:0.0} s (whole check {clock.Elapsed.TotalSeconds:0.0} s)");
        }

        // The watchdogs notice their folder is gone within a second; give them that.
        for (var wait = 0; wait < 30 && Leftovers(work).Count > 0; wait++)
        {
            await Task.Delay(100, CancellationToken.None);
        }

        failures += ReportLeftovers(work);
        Console.WriteLine(failures == 0 ? "infra-check: OK" : $"infra-check: {failures} problem(s)");
        return failures == 0 ? 0 : 1;
    }

    private static async Task Stop(string name, IAsyncDisposable server)
    {
        var clock = Stopwatch.StartNew();
        await server.DisposeAsync();
        Console.WriteLine($"{name} stopped in {clock.Elapsed.TotalSeconds:0.0} s");
    }

    private static async Task<T> Timed<T>(string name, Func<Task<T>> start)
    {
        var clock = Stopwatch.StartNew();
        var result = await start();
        Console.WriteLine($"{name} started in {clock.Elapsed.TotalSeconds:0.0} s");
        return result;
    }

    private static async Task<int> CheckPostgresAsync(PostgresServer postgres, CancellationToken ct)
    {
        var psql = Directory.EnumerateFiles("/usr/lib/postgresql", "psql", SearchOption.AllDirectories).FirstOrDefault();
        if (psql is null)
        {
            Console.WriteLine("  (no psql to query with; port check only)");
            return 0;
        }

        var info = new ProcessStartInfo(psql, ["-h", "127.0.0.1", "-p", postgres.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", "postgres", "-d", "postgres", "-tAc", "select version()"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync(ct);
        var error = await process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        Console.WriteLine($"  psql: {(output + error).Trim()}");
        return process.ExitCode == 0 ? 0 : 1;
    }

    /// <summary>Sends the AMQP 0-9-1 protocol header; a broker answers with a method frame (type 1).</summary>
    private static async Task<int> CheckAmqpAsync(int port, CancellationToken ct)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port, ct);
        var stream = client.GetStream();
        await stream.WriteAsync("AMQP\0\0\u0009\u0001"u8.ToArray(), ct);
        var buffer = new byte[7];
        await stream.ReadExactlyAsync(buffer, ct);
        var ok = buffer[0] == 1;
        Console.WriteLine(ok ? "  AMQP handshake: Connection.Start received" : $"  AMQP handshake: unexpected frame type {buffer[0]}");
        return ok ? 0 : 1;
    }

    private static int ReportLeftovers(string work)
    {
        var leftovers = Leftovers(work);
        foreach (var (pid, commandLine) in leftovers)
        {
            Console.WriteLine($"  left behind: pid {pid}: {commandLine[..Math.Min(160, commandLine.Length)]}");
        }

        var folders = Directory.Exists(work) ? Directory.GetDirectories(work).Length : 0;
        if (folders > 0)
        {
            Console.WriteLine($"  left behind: {folders} folder(s) in {work}");
        }

        return leftovers.Count + folders;
    }

    /// <summary>Processes whose command line mentions the work folder, and RabbitMQ nodes of ours (epmd is shared).</summary>
    private static List<(int Pid, string CommandLine)> Leftovers(string work)
    {
        var leftovers = new List<(int, string)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            string commandLine, environment;
            try
            {
                commandLine = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                // RabbitMQ's command line does not name its folder; its environment does.
                environment = File.ReadAllText(Path.Combine(dir, "environ"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            if (commandLine.Contains(work, StringComparison.Ordinal) || environment.Contains(work, StringComparison.Ordinal))
            {
                leftovers.Add((pid, commandLine));
            }
        }

        return leftovers;
    }
}
