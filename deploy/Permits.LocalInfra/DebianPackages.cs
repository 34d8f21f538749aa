namespace Permits.LocalInfra;

/// <summary>Installs missing Debian packages the local servers need.</summary>
public static class DebianPackages
{
    // Packages whose postinst starts a machine-wide server that would hold the default ports; we run our own.
    private static readonly Dictionary<string, string> autoStartedServices = new()
    {
        ["rabbitmq-server"] = "rabbitmq-server",
        ["postgresql"] = "postgresql",
    };

    private static readonly SemaphoreSlim aptLock = new(1, 1);
    private static bool updated;

    /// <summary>
    /// Installs whichever of <paramref name="packages"/> are missing (as root: apt-get update once, then a
    /// non-interactive install), then stops and disables the servers the packages start on their own. Throws, naming
    /// the packages, when some are missing and we are not root.
    /// </summary>
    public static async Task EnsureInstalledAsync(IReadOnlyList<string> packages, Action<string> log, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(packages);
        ArgumentNullException.ThrowIfNull(log);
        if (!File.Exists("/usr/bin/dpkg-query"))
        {
            throw new PlatformNotSupportedException(
                $"This needs a Debian-family system (no dpkg-query); install these yourself: {string.Join(", ", packages)}.");
        }

        var missing = new List<string>();
        foreach (var package in packages)
        {
            if (!await IsInstalledAsync(package, ct))
            {
                missing.Add(package);
            }
        }

        if (missing.Count == 0)
        {
            log($"Debian packages present: {string.Join(", ", packages)}");
            return;
        }

        var list = string.Join(' ', missing);
        if (!ServiceAccount.IsRoot)
        {
            throw new InvalidOperationException(
                $"Missing Debian packages: {list}. Install them with `sudo apt-get install -y {list}` or run as root.");
        }

        await aptLock.WaitAsync(ct);
        try
        {
            var env = new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" };
            if (!updated)
            {
                log("apt-get update");
                await CommandRunner.RunCheckedAsync("apt-get", ["update"], TimeSpan.FromMinutes(5), ct, env);
                updated = true;
            }

            log($"apt-get install -y {list}");
            await CommandRunner.RunCheckedAsync("apt-get", ["install", "-y", .. missing],
                TimeSpan.FromMinutes(15), ct, env);
        }
        finally
        {
            aptLock.Release();
        }

        foreach (var package in missing)
        {
            if (autoStartedServices.TryGetValue(package, out var service))
            {
                await StopServiceAsync(service, log, ct);
            }
        }
    }

    private static async Task<bool> IsInstalledAsync(string package, CancellationToken ct)
    {
        var result = await CommandRunner.RunAsync("dpkg-query", ["-W", "-f=${Status}", package], TimeSpan.FromSeconds(30), ct);
        return result.Succeeded && result.Output.Trim() == "install ok installed";
    }

    private static async Task StopServiceAsync(string service, Action<string> log, CancellationToken ct)
    {
        log($"stopping and disabling the machine-wide {service} service (private servers are started instead)");
        var timeout = TimeSpan.FromSeconds(60);
        // Failures are fine here: in a container without an init system the service never started.
        if (Directory.Exists("/run/systemd/system"))
        {
            await CommandRunner.RunAsync("systemctl", ["disable", "--now", service], timeout, ct);
        }
        else
        {
            await CommandRunner.RunAsync("service", [service, "stop"], timeout, ct);
            await CommandRunner.RunAsync("update-rc.d", [service, "disable"], timeout, ct);
        }
    }
}
