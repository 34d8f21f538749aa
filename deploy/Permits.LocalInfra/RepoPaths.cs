using System.Security.Cryptography;
using System.Text;

namespace Permits.LocalInfra;

/// <summary>Locates the repository root: the folder holding Permits.sln (or Permits.slnx).</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> root = new(Find);

    private static readonly string[] markers = ["Permits.sln", "Permits.slnx"];

    /// <summary>The repository root; throws when neither the app's folder nor the current folder is inside it.</summary>
    public static string Root => root.Value;

    /// <summary>The solution file in <see cref="Root"/> (Permits.sln preferred over Permits.slnx).</summary>
    public static string SolutionFile =>
        markers.Select(m => Path.Combine(Root, m)).First(File.Exists);

    /// <summary>
    /// Where this clone's throwaway servers keep their data, logs and sockets:
    /// <c>/var/tmp/permits-&lt;hash of the clone's path&gt;/&lt;purpose&gt;</c>. Not inside the clone, because the
    /// server users (postgres, rabbitmq) must be able to enter it, and a clone may sit in a folder only its owner can
    /// enter (root's 0700 home). One folder per clone, so clones on one machine never clean up each other's servers;
    /// short, so PostgreSQL's socket path fits.
    /// </summary>
    public static string ServerWork(string purpose)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Root)))[..12];
        var root = Path.Combine(OperatingSystem.IsWindows() ? Path.GetTempPath() : "/var/tmp", $"permits-{hash}");
        return ReachableFolder(ReachableFolder(root), purpose);
    }

    /// <summary>Creates (or opens up) a folder every user may enter and read, whatever the umask.</summary>
    internal static string ReachableFolder(string parent, string? child = null)
    {
        var folder = child is null ? parent : Path.Combine(parent, child);
        var info = Directory.CreateDirectory(folder);
        if (!OperatingSystem.IsWindows())
        {
            const UnixFileMode everyoneEnters = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
            if ((info.UnixFileMode & everyoneEnters) != everyoneEnters)
            {
                info.UnixFileMode |= everyoneEnters;
            }
        }

        return info.FullName;
    }

    private static string Find()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (markers.Any(m => File.Exists(Path.Combine(dir.FullName, m))))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException(
            $"Cannot find the repository root: no Permits.sln above '{AppContext.BaseDirectory}' or " +
            $"'{Directory.GetCurrentDirectory()}'.");
    }
}
