using System.Globalization;

namespace Permits.Benchmarks;

/// <summary>
/// CPU time and memory of a process and its descendants, read from /proc: user + system time of every live process
/// of the tree, plus the time of the children each has already reaped (cutime, cstime), so PostgreSQL's backends that
/// came and went are counted too.
/// </summary>
public static class ProcessMeter
{
    /// <summary>Kernel clock ticks a second (USER_HZ): 100 on every Linux this runs on.</summary>
    private const double TicksPerSecond = 100;

    /// <summary>CPU milliseconds the tree under <paramref name="root"/> has used so far; 0 when it is not running.</summary>
    public static double CpuMilliseconds(int? root)
    {
        if (root is null)
        {
            return 0;
        }

        var stats = AllStats();
        var tree = new HashSet<int> { root.Value };
        bool grew;
        do
        {
            grew = false;
            foreach (var (pid, stat) in stats)
            {
                if (!tree.Contains(pid) && tree.Contains(stat.Parent))
                {
                    grew = tree.Add(pid) || grew;
                }
            }
        }
        while (grew);

        return tree.Where(stats.ContainsKey).Sum(pid => stats[pid].Ticks) * 1000 / TicksPerSecond;
    }

    /// <summary>Resident and peak resident memory of one process in MB (VmRSS, VmHWM).</summary>
    public static (double Rss, double Peak) MemoryMegabytes(int? pid)
    {
        double Field(string[] lines, string name) =>
            lines.Where(l => l.StartsWith(name, StringComparison.Ordinal))
                .Select(l => double.Parse(l[name.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024)
                .FirstOrDefault();
        try
        {
            var lines = File.ReadAllLines($"/proc/{pid}/status");
            return (Field(lines, "VmRSS:"), Field(lines, "VmHWM:"));
        }
        catch (IOException)
        {
            return (0, 0);
        }
    }

    private static Dictionary<int, (int Parent, long Ticks)> AllStats()
    {
        var stats = new Dictionary<int, (int Parent, long Ticks)>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid))
            {
                continue;
            }

            try
            {
                var text = File.ReadAllText(Path.Combine(folder, "stat"));
                // After "pid (comm) ": state ppid … utime(14) stime(15) cutime(16) cstime(17), counted from 1.
                var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
                long At(int field) => long.Parse(fields[field - 3], CultureInfo.InvariantCulture);
                stats[pid] = ((int)At(4), At(14) + At(15) + At(16) + At(17));
            }
            catch (IOException)
            {
                // The process ended between listing and reading.
            }
        }

        return stats;
    }
}
