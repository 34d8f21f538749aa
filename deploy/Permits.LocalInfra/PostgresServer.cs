using System.Globalization;

namespace Permits.LocalInfra;

/// <summary>
/// A private, throwaway PostgreSQL cluster on a free loopback port: trust authentication, superuser
/// <c>postgres</c>, no fsync. Start once per test run; every test or system uses its own databases in it.
/// </summary>
/// <remarks>
/// By default a commit returns before its WAL is written (<c>synchronous_commit=off</c>), so the commits of the last
/// fraction of a second are lost when the server is killed. A cluster started <c>crashSafe</c> writes the WAL at each
/// commit: what a fault test kills with <see cref="RestartAsync"/> then keeps every commit it acknowledged, as a
/// production server does. (Still no fsync: only the machine's crash, which no test causes, would lose it.)
/// </remarks>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string ServiceUser = "postgres";
    private const string Prefix = "pg";
    private static readonly TimeSpan commandTimeout = TimeSpan.FromSeconds(60);

    private readonly string folder;
    private readonly string dataDirectory;
    private readonly string binDirectory;
    private int disposed;

    private readonly bool crashSafe;
    private readonly bool statementStatistics;

    private PostgresServer(string folder, string binDirectory, int port, bool crashSafe, bool statementStatistics)
    {
        this.crashSafe = crashSafe;
        this.statementStatistics = statementStatistics;
        this.folder = folder;
        this.binDirectory = binDirectory;
        dataDirectory = DataDirectoryOf(folder);
        Port = port;
    }

    public int Port { get; }

    /// <summary>The folder holding this cluster's data and its log (postgres.log).</summary>
    public string WorkFolder => folder;

    /// <summary>
    /// Creates a cluster in <c>workDirectory/pg-&lt;random&gt;</c> and starts it. Also stops clusters that an
    /// earlier, killed run left in the same work folder.
    /// </summary>
    /// <param name="crashSafe">Keep every acknowledged commit when the server is killed (see the remarks).</param>
    /// <param name="statementStatistics">
    /// Load pg_stat_statements, so a benchmark can say which statements the server's time went to (its view appears in
    /// a database after <c>CREATE EXTENSION pg_stat_statements</c>; it counts the statements of every database).
    /// </param>
    public static async Task<PostgresServer> StartAsync(
        string workDirectory, CancellationToken ct = default, bool crashSafe = false, bool statementStatistics = false)
    {
        var bin = FindBinDirectory();
        workDirectory = Path.GetFullPath(workDirectory);
        RepoPaths.ReachableFolder(workDirectory);
        await StopAbandonedAsync(workDirectory, bin, ct);

        var folder = ServerFolder.Create(workDirectory, Prefix);
        try
        {
            // SIGQUIT is PostgreSQL's immediate shutdown.
            ServerFolder.Watch(folder, Path.Combine(DataDirectoryOf(folder), "postmaster.pid"), "QUIT");
            await ServiceAccount.GiveAsync(ServiceUser, folder, ct);
            await RunAsPostgresAsync(bin, "initdb",
                ["-D", DataDirectoryOf(folder), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
                folder, ct);

            for (var attempt = 1; ; attempt++)
            {
                var port = FreePort.Next();
                var server = new PostgresServer(folder, bin, port, crashSafe, statementStatistics);
                var started = await server.TryStartAsync(ct);
                if (started is null)
                {
                    return server;
                }

                // Another process took the port between our probe and the server's bind: try another one.
                if (attempt >= 3 || !started.Contains("already in use", StringComparison.OrdinalIgnoreCase))
                {
                    throw new InvalidOperationException($"PostgreSQL did not start in '{folder}':{Environment.NewLine}{started}");
                }
            }
        }
        catch
        {
            await StopClusterAsync(bin, DataDirectoryOf(folder), folder, CancellationToken.None);
            ServerFolder.Delete(folder);
            throw;
        }
    }

    /// <summary>The postmaster's process id (its backends are its children), or null when it is not running.</summary>
    public int? ProcessId => ServerFolder.ReadPid(Path.Combine(dataDirectory, "postmaster.pid"));

    /// <summary>
    /// Stops the server at once, as a crash would (immediate shutdown: no checkpoint, recovery from the WAL at start),
    /// and starts it again on the same port with the same data: what a fault test does to its database.
    /// </summary>
    public async Task RestartAsync(CancellationToken ct = default)
    {
        await StopClusterAsync(binDirectory, dataDirectory, folder, ct);
        var failed = await TryStartAsync(ct);
        if (failed is not null)
        {
            throw new InvalidOperationException($"PostgreSQL did not start again in '{folder}':{Environment.NewLine}{failed}");
        }
    }

    /// <summary>A Npgsql connection string for <paramref name="database"/> on this server.</summary>
    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Username=postgres;Database={database};Pooling=true";

    /// <summary>Stops the server at once (no checkpoint: the data is thrown away) and deletes its folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await StopClusterAsync(binDirectory, dataDirectory, folder, CancellationToken.None);
        ServerFolder.Delete(folder);
    }

    /// <returns>null when the server runs, else the reason it does not.</returns>
    private async Task<string?> TryStartAsync(CancellationToken ct)
    {
        var options = string.Join(' ',
            $"-p {Port.ToString(CultureInfo.InvariantCulture)}",
            $"-k '{SocketDirectory(folder)}'",
            "-c listen_addresses=127.0.0.1",
            "-c max_connections=600",
            // Throwaway data: durability only costs time, except what a fault test's kill must not lose.
            "-c fsync=off -c full_page_writes=off",
            crashSafe ? "-c synchronous_commit=on" : "-c synchronous_commit=off",
            statementStatistics ? "-c shared_preload_libraries=pg_stat_statements" : "");
        var log = Path.Combine(folder, "postgres.log");
        var (file, args) = ServiceAccount.As(ServiceUser, Path.Combine(binDirectory, "pg_ctl"),
            ["-D", dataDirectory, "-l", log, "-o", options, "-w", "-t", "60", "start"]);
        var result = await CommandRunner.RunAsync(file, args, commandTimeout, ct, workingDirectory: folder);
        if (result.Succeeded && await FreePort.AcceptsAsync(Port, ct))
        {
            return null;
        }

        await StopClusterAsync(binDirectory, dataDirectory, folder, CancellationToken.None);
        return result.Output + Environment.NewLine + Tail(log);
    }

    private static async Task StopAbandonedAsync(string workDirectory, string bin, CancellationToken ct)
    {
        foreach (var abandoned in ServerFolder.FindAbandoned(workDirectory, Prefix).ToList())
        {
            await StopClusterAsync(bin, DataDirectoryOf(abandoned), abandoned, ct);
            ServerFolder.Delete(abandoned);
        }
    }

    private static async Task StopClusterAsync(string bin, string dataDirectory, string folder, CancellationToken ct)
    {
        var pidFile = Path.Combine(dataDirectory, "postmaster.pid");
        if (!File.Exists(pidFile))
        {
            return;
        }

        var pid = ServerFolder.ReadPid(pidFile);
        var (file, args) = ServiceAccount.As(ServiceUser, Path.Combine(bin, "pg_ctl"),
            ["-D", dataDirectory, "-m", "immediate", "-w", "-t", "30", "stop"]);
        var result = await CommandRunner.RunAsync(file, args, TimeSpan.FromSeconds(40), ct, workingDirectory: folder);
        if (!result.Succeeded)
        {
            ServerFolder.KillPid(pid);
        }
    }

    private static Task RunAsPostgresAsync(string bin, string tool, IEnumerable<string> arguments, string folder, CancellationToken ct)
    {
        var (file, args) = ServiceAccount.As(ServiceUser, Path.Combine(bin, tool), arguments);
        return CommandRunner.RunCheckedAsync(file, args, commandTimeout, ct, workingDirectory: folder);
    }

    private static string DataDirectoryOf(string folder) => Path.Combine(folder, "data");

    // The socket path (folder + "/.s.PGSQL.nnnnn") must fit in sun_path (107 bytes).
    private static string SocketDirectory(string folder) =>
        folder.Length <= 90 ? folder : throw new InvalidOperationException(
            $"The work folder path '{folder}' is too long for a PostgreSQL socket (max 90 characters); use a shorter one.");

    /// <summary>The highest PostgreSQL version's bin folder under Debian's /usr/lib/postgresql.</summary>
    private static string FindBinDirectory()
    {
        const string root = "/usr/lib/postgresql";
        var bin = Directory.Exists(root)
            ? Directory.EnumerateDirectories(root)
                .Select(d => (Dir: d, Version: decimal.TryParse(Path.GetFileName(d), NumberStyles.Number, CultureInfo.InvariantCulture, out var v) ? v : -1))
                .Where(d => d.Version >= 0 && File.Exists(Path.Combine(d.Dir, "bin", "pg_ctl")))
                .OrderByDescending(d => d.Version)
                .Select(d => Path.Combine(d.Dir, "bin"))
                .FirstOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException(
            $"PostgreSQL server binaries not found under {root}: install the Debian 'postgresql' package " +
            "(./build.sh test does this when run as root).");
    }

    private static string Tail(string file)
    {
        try
        {
            return string.Join(Environment.NewLine, File.ReadLines(file).TakeLast(20));
        }
        catch (IOException)
        {
            return "(no server log)";
        }
    }
}
