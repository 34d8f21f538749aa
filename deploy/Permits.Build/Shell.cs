using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Permits.Build;

/// <summary>Runs a child command with its output streamed to ours.</summary>
internal static class Shell
{
    private const int SigTerm = 15;
    private static readonly TimeSpan grace = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Runs the command with the inherited console and the current environment plus <paramref name="environment"/>,
    /// and returns its exit code. On cancellation the child is asked to stop, and after a grace period it and
    /// everything it had started are killed.
    /// </summary>
    public static async Task<int> RunAsync(
        string fileName, IEnumerable<string> arguments, CancellationToken ct,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName) { UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        Console.WriteLine($"> {string.Join(' ', info.ArgumentList.Prepend(fileName).Select(Quote))}");
        using var process = Process.Start(info)
            ?? throw new InvalidOperationException($"Could not start '{fileName}'.");
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            Stop(process);
            throw;
        }

        return process.ExitCode;
    }

    private static void Stop(Process process)
    {
        // Snapshot the tree first: dotnet test exits on SIGTERM and orphans vstest and the test hosts.
        var tree = Descendants(process.Id);
        // Ctrl+C has reached the child already (same process group); a SIGTERM sent to us has not.
        _ = Kill(process.Id, SigTerm);
        if (!process.WaitForExit(grace))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(grace);
        }

        foreach (var pid in tree)
        {
            try
            {
                using var orphan = Process.GetProcessById(pid);
                orphan.Kill(entireProcessTree: true);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                // Gone already.
            }
        }
    }

    /// <summary>Ids of all processes below <paramref name="root"/>, read from /proc.</summary>
    private static List<int> Descendants(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                // Fields after the parenthesised command name: state, ppid, ...
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // The process ended while we looked.
            }
        }

        var found = new List<int>();
        var queue = new Queue<int>([root]);
        while (queue.TryDequeue(out var parent))
        {
            foreach (var (pid, ppid) in parents)
            {
                // A server watchdog must outlive its owner: it is what stops that owner's servers.
                if (ppid == parent && !IsWatchdog(pid))
                {
                    found.Add(pid);
                    queue.Enqueue(pid);
                }
            }
        }

        return found;
    }

    private static bool IsWatchdog(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cmdline").Contains("permits-watchdog", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsLetterOrDigit(c) || "-_./=:,+@%~".Contains(c)) ? argument : $"'{argument}'";

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
