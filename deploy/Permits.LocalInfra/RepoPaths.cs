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
