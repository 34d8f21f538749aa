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
}
