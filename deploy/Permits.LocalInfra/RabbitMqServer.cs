using System.Diagnostics;
using System.Globalization;

namespace Permits.LocalInfra;

/// <summary>
/// A private, throwaway RabbitMQ node on free loopback ports, with its own name, data and logs, so several can run
/// at once (they share only epmd). Start once per test run (a fresh node takes ~15 s); isolate users of it with
/// <see cref="CreateVirtualHostAsync"/>. The default guest/guest user works because clients connect over loopback.
/// </summary>
public sealed class RabbitMqServer : IAsyncDisposable
{
    private const string ServiceUser = "rabbitmq";
    private const string Prefix = "rabbit";
    private static readonly TimeSpan startTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan ctlTimeout = TimeSpan.FromSeconds(60);

    private readonly string folder;
    private readonly Process process;
    private int disposed;

    private RabbitMqServer(string folder, string nodeName, int port, Process process)
    {
        this.folder = folder;
        this.process = process;
        NodeName = nodeName;
        Port = port;
    }

    /// <summary>The AMQP port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The Erlang node name, for <c>rabbitmqctl -n &lt;NodeName&gt; …</c>.</summary>
    public string NodeName { get; }

    /// <summary>The folder holding this node's data and logs (console.log, log/).</summary>
    public string WorkFolder => folder;

    /// <summary>
    /// Starts a node in <c>workDirectory/rabbit-&lt;random&gt;</c> and waits until it accepts AMQP connections and
    /// has finished booting. Also stops nodes that an earlier, killed run left in the same work folder.
    /// </summary>
    public static async Task<RabbitMqServer> StartAsync(string workDirectory, CancellationToken ct = default)
    {
        workDirectory = Path.GetFullPath(workDirectory);
        RepoPaths.ReachableFolder(workDirectory);
        foreach (var abandoned in ServerFolder.FindAbandoned(workDirectory, Prefix).ToList())
        {
            ServerFolder.KillPid(ServerFolder.ReadPid(PidFileOf(abandoned)));
            ServerFolder.Delete(abandoned);
        }

        for (var attempt = 1; ; attempt++)
        {
            var folder = ServerFolder.Create(workDirectory, Prefix);
            RabbitMqServer? server = null;
            try
            {
                ServerFolder.Watch(folder, PidFileOf(folder), "KILL");
                server = await LaunchAsync(folder, ct);
                await server.WaitUntilReadyAsync(ct);
                return server;
            }
            catch (PortTakenException) when (attempt < 3)
            {
                // Another process took a port between our probe and the node's bind: try other ports.
                await DisposeQuietlyAsync(server, folder);
            }
            catch
            {
                await DisposeQuietlyAsync(server, folder);
                throw;
            }
        }
    }

    /// <summary>The AMQP URI of a virtual host on this node, e.g. <c>amqp://guest:guest@127.0.0.1:5672/%2F</c>.</summary>
    public string AmqpUri(string virtualHost = "/") =>
        $"amqp://guest:guest@127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/{Uri.EscapeDataString(virtualHost)}";

    /// <summary>The Erlang VM's process id, or null when it is not running.</summary>
    public int? ProcessId => ServerFolder.ReadPid(PidFileOf(folder));

    /// <summary>
    /// Stops the RabbitMQ application on the node and starts it again: every connection drops, durable queues and
    /// their persistent messages survive. What a fault test does to its broker.
    /// </summary>
    public async Task RestartAppAsync(CancellationToken ct = default)
    {
        await RabbitMqCtlAsync(["stop_app"], ct);
        await RabbitMqCtlAsync(["start_app"], ct);
        await RabbitMqCtlAsync(["await_startup"], ct);
    }

    /// <summary>
    /// Every queue of the default virtual host that holds messages (ready or unacknowledged) or has no consumer, a line
    /// each (name, ready, unacknowledged, consumers): what a test prints when a message seems lost.
    /// </summary>
    public async Task<IReadOnlyList<string>> BusyQueuesAsync(CancellationToken ct = default)
    {
        var output = await CommandRunner.RunCheckedAsync(
            RabbitMqCtl, ["-n", NodeName, "-q", "list_queues", "name", "messages_ready", "messages_unacknowledged", "consumers"], ctlTimeout, ct);
        return
        [
            .. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(line => line.Split('\t'))
                .Where(f => f.Length == 4 && long.TryParse(f[1], out _)
                    && (f[1] != "0" || f[2] != "0" || (f[3] == "0" && !f[0].EndsWith("_error", StringComparison.Ordinal))))
                .Select(f => $"{f[0]}: {f[1]} ready, {f[2]} unacknowledged, {f[3]} consumers"),
        ];
    }

    /// <summary>Creates a virtual host that guest may fully use, and returns its AMQP URI. Takes a few seconds.</summary>
    public async Task<string> CreateVirtualHostAsync(string name, CancellationToken ct = default)
    {
        await RabbitMqCtlAsync(["add_vhost", name], ct);
        await RabbitMqCtlAsync(["set_permissions", "-p", name, "guest", ".*", ".*", ".*"], ct);
        return AmqpUri(name);
    }

    /// <summary>Kills the node (its data is thrown away, so no orderly shutdown is needed) and deletes its folder.</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0)
        {
            StopNow();
            process.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private Task RabbitMqCtlAsync(IEnumerable<string> arguments, CancellationToken ct) =>
        CommandRunner.RunCheckedAsync(RabbitMqCtl, ["-n", NodeName, .. arguments], ctlTimeout, ct);

    private static async Task<RabbitMqServer> LaunchAsync(string folder, CancellationToken ct)
    {
        var id = Path.GetFileName(folder)[(Prefix.Length + 1)..];
        var nodeName = $"permits-{id}@localhost";
        var port = FreePort.Next();
        int distPort;
        do
        {
            distPort = FreePort.Next();
        }
        while (distPort == port);

        Directory.CreateDirectory(Path.Combine(folder, "mnesia"));
        Directory.CreateDirectory(Path.Combine(folder, "log"));
        await File.WriteAllTextAsync(Path.Combine(folder, "enabled_plugins"), "[].", ct);
        // Own (empty) config files, so a machine-wide /etc/rabbitmq configuration cannot change the node.
        await File.WriteAllTextAsync(Path.Combine(folder, "rabbitmq.conf"), "", ct);
        await File.WriteAllTextAsync(Path.Combine(folder, "rabbitmq-env.conf"), "", ct);
        await ServiceAccount.GiveAsync(ServiceUser, folder, ct);

        var info = new ProcessStartInfo(ServerScript)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = folder,
        };
        var env = new Dictionary<string, string>
        {
            ["RABBITMQ_NODENAME"] = nodeName,
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODE_PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_DIST_PORT"] = distPort.ToString(CultureInfo.InvariantCulture),
            // Erlang distribution listens on all interfaces unless told otherwise. The schedulers do not spin while
            // waiting for work (+sbwt none …): on a machine of two cores shared with the services, spinning took CPU
            // the services needed and counted as the broker's in the journey benchmark.
            ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] =
                "-kernel inet_dist_use_interface {127,0,0,1} " + RabbitMqTuning.SchedulerArguments,
            ["RABBITMQ_MNESIA_BASE"] = Path.Combine(folder, "mnesia"),
            ["RABBITMQ_LOG_BASE"] = Path.Combine(folder, "log"),
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(folder, "enabled_plugins"),
            ["RABBITMQ_PID_FILE"] = PidFileOf(folder),
            ["RABBITMQ_CONFIG_FILE"] = Path.Combine(folder, "rabbitmq.conf"),
            ["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(folder, "advanced.config"),
            ["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(folder, "rabbitmq-env.conf"),
        };
        foreach (var (key, value) in env)
        {
            info.Environment[key] = value;
        }

        var console = new StreamWriter(Path.Combine(folder, "console.log"), append: true) { AutoFlush = true };
        var closed = false;
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.Exited += (_, _) =>
        {
            // Let the reader threads write the last lines before closing the file.
            process.WaitForExit(5_000);
            lock (console)
            {
                closed = true;
                console.Dispose();
            }
        };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            process.Dispose();
            console.Dispose();
            throw new InvalidOperationException(
                $"Cannot start '{ServerScript}': {e.Message}. Install the Debian 'rabbitmq-server' package.", e);
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var server = new RabbitMqServer(folder, nodeName, port, process);
        return server;

        void Write(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (console)
            {
                if (!closed)
                {
                    console.WriteLine(line);
                }
            }
        }
    }

    private async Task WaitUntilReadyAsync(CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (!await FreePort.AcceptsAsync(Port, ct))
        {
            if (process.HasExited)
            {
                throw Failure($"exited with code {process.ExitCode} while starting");
            }

            if (clock.Elapsed > startTimeout)
            {
                throw Failure($"did not open its AMQP port {Port} within {startTimeout.TotalSeconds:0} s");
            }

            await Task.Delay(250, ct);
        }

        // The AMQP listener opens late in the boot, but plugins and definitions may still be settling.
        var left = startTimeout - clock.Elapsed;
        var seconds = Math.Max(5, (int)left.TotalSeconds);
        var result = await CommandRunner.RunAsync(RabbitMqCtl,
            ["-n", NodeName, "await_startup", "--timeout", seconds.ToString(CultureInfo.InvariantCulture)],
            TimeSpan.FromSeconds(seconds + 15), ct);
        if (!result.Succeeded)
        {
            throw Failure($"did not finish booting: {result.Output.Trim()}");
        }
    }

    private Exception Failure(string what)
    {
        var logs = Tail(Path.Combine(folder, "console.log"), 20) + Environment.NewLine +
            Tail(Path.Combine(folder, "log", NodeName + ".log"), 30);
        var message = $"RabbitMQ node {NodeName} {what}. Last log lines:{Environment.NewLine}{logs}";
        return logs.Contains("eaddrinuse", StringComparison.OrdinalIgnoreCase)
            ? new PortTakenException(message)
            : new InvalidOperationException(message);
    }

    private void StopNow()
    {
        CommandRunner.KillTree(process);
        // The wrappers (su, sh) are the tree; the pid file names the VM itself should it have been orphaned.
        ServerFolder.KillPid(ServerFolder.ReadPid(PidFileOf(folder)));
        ServerFolder.Delete(folder);
    }

    private static async Task DisposeQuietlyAsync(RabbitMqServer? server, string folder)
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
        else
        {
            ServerFolder.Delete(folder);
        }
    }

    private static string PidFileOf(string folder) => Path.Combine(folder, "rabbit.pid");

    // As root, Debian's wrappers in /usr/sbin switch to the rabbitmq user (and its Erlang cookie) themselves; other
    // users must call the real scripts and need their own cookie.
    private static string ServerScript => Script("rabbitmq-server");

    private static string RabbitMqCtl => Script("rabbitmqctl");

    private static string Script(string name)
    {
        var direct = Path.Combine("/usr/lib/rabbitmq/bin", name);
        return ServiceAccount.IsRoot || !File.Exists(direct) ? name : direct;
    }

    private static string Tail(string file, int lines)
    {
        try
        {
            return string.Join(Environment.NewLine, File.ReadLines(file).TakeLast(lines));
        }
        catch (IOException)
        {
            return $"(no {Path.GetFileName(file)})";
        }
    }

    private sealed class PortTakenException(string message) : InvalidOperationException(message);
}
