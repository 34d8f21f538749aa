using System.Diagnostics;
using System.Globalization;

namespace Permits.LocalInfra;

/// <summary>
/// A throwaway server's folder, marked with the process that owns it, and watched from outside that process: if
/// the owner dies without stopping its server (SIGKILL, a crashed test host), a detached watchdog stops the server
/// and deletes the folder within seconds. Folders that even the watchdog missed (e.g. across a reboot) are found
/// by their dead owner and cleaned up by the next start in the same work folder.
/// </summary>
internal static class ServerFolder
{
    private const string OwnerFile = "owner";

    // $1 owner pid, $2 folder, $3 server pid file, $4 signal that stops the server at once.
    private const string Watchdog = """
        while kill -0 "$1" 2>/dev/null && [ -d "$2" ]; do sleep 1; done
        [ -d "$2" ] || exit 0
        i=0; while [ ! -s "$3" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done
        pid=$(head -n 1 "$3" 2>/dev/null)
        if [ -n "$pid" ]; then
          kill -"$4" "$pid" 2>/dev/null
          i=0; while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
          kill -KILL "$pid" 2>/dev/null
        fi
        rm -rf "$2"
        """;

    public static string Create(string workDirectory, string prefix)
    {
        Directory.CreateDirectory(workDirectory);
        var folder = Path.Combine(Path.GetFullPath(workDirectory), $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)]);
        Directory.CreateDirectory(folder);
        using var self = Process.GetCurrentProcess();
        File.WriteAllText(
            Path.Combine(folder, OwnerFile),
            $"{Environment.ProcessId}\n{self.StartTime.ToUniversalTime().Ticks.ToString(CultureInfo.InvariantCulture)}\n");
        return folder;
    }

    /// <summary>
    /// Starts the watchdog for <paramref name="folder"/>: once this process is gone and the folder still exists, it
    /// sends <paramref name="signal"/> to the pid in <paramref name="pidFile"/>, then SIGKILL, then deletes the
    /// folder. It ends by itself within a second of the folder being deleted.
    /// </summary>
    public static void Watch(string folder, string pidFile, string signal)
    {
        // setsid: out of our process group, so whatever kills our group does not kill the watchdog too.
        var info = new ProcessStartInfo("setsid")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = "/",
        };
        foreach (var argument in new[] { "sh", "-c", Watchdog, "permits-watchdog", Environment.ProcessId.ToString(CultureInfo.InvariantCulture), folder, pidFile, signal })
        {
            info.ArgumentList.Add(argument);
        }

        using var watchdog = Process.Start(info)
            ?? throw new InvalidOperationException("Cannot start the server watchdog (setsid sh).");
        // It writes nothing; closing our ends keeps no pipe of ours alive.
        watchdog.StandardInput.Close();
        watchdog.StandardOutput.Close();
        watchdog.StandardError.Close();
    }

    /// <summary>Folders under <paramref name="workDirectory"/> with this prefix whose owning process is gone.</summary>
    public static IEnumerable<string> FindAbandoned(string workDirectory, string prefix)
    {
        if (!Directory.Exists(workDirectory))
        {
            yield break;
        }

        foreach (var folder in Directory.EnumerateDirectories(workDirectory, prefix + "-*"))
        {
            if (!OwnerIsAlive(folder))
            {
                yield return folder;
            }
        }
    }

    public static void Delete(string folder)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (Directory.Exists(folder))
                {
                    Directory.Delete(folder, recursive: true);
                }

                return;
            }
            catch (IOException) when (attempt < 5)
            {
                // A server that just died may still be closing files.
                Thread.Sleep(200 * attempt);
            }
        }
    }

    /// <summary>Reads the first line of a pid file; null when missing or unreadable.</summary>
    public static int? ReadPid(string pidFile)
    {
        try
        {
            var first = File.ReadLines(pidFile).FirstOrDefault();
            return int.TryParse(first?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>SIGKILLs a process (and its children) by id if it still runs, and waits until it is dead.</summary>
    public static void KillPid(int? pid)
    {
        if (pid is null || !IsRunning(pid.Value))
        {
            return;
        }

        try
        {
            using var process = Process.GetProcessById(pid.Value);
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // Exited meanwhile.
        }

        // Not our child, so Process.WaitForExit would also wait for whoever reaps it; a zombie is dead enough.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (IsRunning(pid.Value) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(20);
        }
    }

    /// <summary>Whether the process exists and is not a zombie awaiting its parent.</summary>
    private static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            // The state follows the command name, which is in parentheses and may itself contain ") ".
            var state = stat[(stat.LastIndexOf(')') + 2)..].TrimStart();
            return state.Length > 0 && state[0] is not ('Z' or 'X');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static bool OwnerIsAlive(string folder)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(Path.Combine(folder, OwnerFile));
        }
        catch (IOException)
        {
            // No marker yet: a starter may be creating it right now; leave it alone.
            return true;
        }

        if (lines.Length < 2
            || !int.TryParse(lines[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            || !long.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var started))
        {
            return true;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            // A recycled pid belongs to a process that started at another time.
            return Math.Abs(process.StartTime.ToUniversalTime().Ticks - started) < TimeSpan.TicksPerSecond;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }
}
