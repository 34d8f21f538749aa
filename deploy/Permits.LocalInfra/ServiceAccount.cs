namespace Permits.LocalInfra;

/// <summary>
/// Runs server binaries as their Debian service user when we are root: PostgreSQL refuses to run as root, and
/// RabbitMQ's wrapper drops to its user itself.
/// </summary>
internal static class ServiceAccount
{
    public static bool IsRoot => Environment.IsPrivilegedProcess;

    /// <summary>The command line that runs <paramref name="fileName"/> as <paramref name="user"/> (unchanged if not root).</summary>
    public static (string FileName, List<string> Arguments) As(string user, string fileName, IEnumerable<string> arguments)
    {
        if (!IsRoot)
        {
            return (fileName, arguments.ToList());
        }

        return ("runuser", ["-u", user, "--", fileName, .. arguments]);
    }

    /// <summary>Hands the folder (recursively) to the service user, so the server can write into it.</summary>
    public static async Task GiveAsync(string user, string directory, CancellationToken ct)
    {
        if (IsRoot)
        {
            await CommandRunner.RunCheckedAsync("chown", ["-R", $"{user}:", directory], TimeSpan.FromSeconds(30), ct);
        }
    }

    /// <summary>
    /// Fails early, with a clear message, when the service user cannot reach the folder (e.g. a repo under a 0700
    /// home directory), instead of letting the server fail with a permission error deep in its own log.
    /// </summary>
    public static void EnsureReachable(string user, string directory)
    {
        if (!IsRoot)
        {
            return;
        }

        for (var dir = new DirectoryInfo(directory); dir is not null; dir = dir.Parent)
        {
            if (!dir.Exists)
            {
                continue;
            }

            if ((dir.UnixFileMode & UnixFileMode.OtherExecute) == 0)
            {
                throw new InvalidOperationException(
                    $"The '{user}' user cannot enter '{dir.FullName}' (mode {Convert.ToString((int)dir.UnixFileMode, 8)}), " +
                    $"so it cannot use '{directory}'. Run `chmod o+x '{dir.FullName}'` or choose a work folder elsewhere.");
            }
        }
    }
}
