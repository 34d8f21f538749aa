using Permits.LocalInfra;

namespace Permits.Build;

/// <summary>
/// <c>up</c>: the distributed system on this machine: each service its own process on a private PostgreSQL and
/// RabbitMQ (their data under /var/tmp, see <see cref="RepoPaths.ServerWork"/>; the services' logs under .local/up),
/// until Ctrl+C or SIGTERM. The data is thrown away on stop.
/// </summary>
internal static class UpTarget
{
    /// <summary>What the distributed system needs on this machine: its servers and the font its documents embed.</summary>
    public static readonly string[] Packages = ["rabbitmq-server", "postgresql", "fonts-arphic-gbsn00lp"];

    public static async Task<int> RunAsync(CancellationToken ct)
    {
        var local = Path.Combine(RepoPaths.Root, ".local", "up");
        await DebianPackages.EnsureInstalledAsync(Packages, Console.WriteLine, ct);
        if (await Targets.BuildAsync([], ct) != 0)
        {
            Console.Error.WriteLine("error: the build failed.");
            return 1;
        }

        Console.WriteLine("Starting PostgreSQL and RabbitMQ...");
        await using var servers = await TestServers.StartAsync(RepoPaths.ServerWork("up"), ct);
        var logs = Path.Combine(local, "logs");
        Console.WriteLine($"Starting the services (logs in {logs})...");
        await using var system = await DistributedSystem.StartAsync(
            new DistributedSystemOptions("Release", servers.Postgres.ConnectionString, servers.RabbitMq.AmqpUri(), logs),
            ct);

        Console.WriteLine();
        foreach (var service in DistributedSystem.AllServices)
        {
            var grpc = system.GrpcUrls.TryGetValue(service, out var url) ? $"   gRPC {url}" : "";
            Console.WriteLine($"  {service,-12} {system.UrlOf(service)}{grpc}");
        }

        Console.WriteLine();
        Console.WriteLine("  ================================================");
        Console.WriteLine($"  Portal: {system.UrlOf(DistributedSystem.Portal)}/");
        Console.WriteLine("  ================================================");
        Console.WriteLine();
        Console.WriteLine("Running. Press Ctrl+C to stop everything.");

        await WatchAsync(system, ct);
        Console.WriteLine("Stopping...");
        return 0;
    }

    /// <summary>Reports services that die while the system is up, until cancelled.</summary>
    private static async Task WatchAsync(DistributedSystem system, CancellationToken ct)
    {
        var reported = new HashSet<string>();
        try
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
                foreach (var service in DistributedSystem.AllServices)
                {
                    var process = system.ProcessOf(service);
                    if (process is { HasExited: true } && reported.Add(service))
                    {
                        Console.Error.WriteLine($"{service} has exited; its log: {process.LogFile}");
                    }
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Ctrl+C or SIGTERM: the caller stops everything.
        }
    }
}
