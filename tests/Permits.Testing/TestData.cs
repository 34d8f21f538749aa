namespace Permits.Testing;

/// <summary>
/// Where tests keep files: one folder per test process under the system's temporary folder, removed when the process
/// ends, so a developer's machine does not fill with SQLite files, keys and profiles run after run.
/// </summary>
public static class TestData
{
    private static readonly Lazy<string> Root = new(() =>
    {
        var root = Path.Combine(Path.GetTempPath(), "permits-tests", $"{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Remove(root);
        return root;
    });

    /// <summary>A new, empty folder for <paramref name="purpose"/> (e.g. "intake" or "browser-profile").</summary>
    public static string NewFolder(string purpose)
    {
        var folder = Path.Combine(Root.Value, purpose, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>A path for a new file with the extension in a folder of its own; the file is not created.</summary>
    public static string NewFile(string purpose, string extension) =>
        Path.Combine(NewFolder(purpose), $"{purpose}.{extension}");

    private static void Remove(string root)
    {
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
            // A process still holding a file (a browser being killed): the folder stays, named by the process that made it.
        }
        catch (UnauthorizedAccessException)
        {
            // Files written by a service user (PostgreSQL's own data is elsewhere): left as they are.
        }
    }
}
