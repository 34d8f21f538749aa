using Permits.Build;
using Permits.LocalInfra;

namespace Permits.Deploy.Tests;

/// <summary>The outside programs these tests use, and why a test is skipped when one is missing.</summary>
internal static class Tools
{
    public static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':').Any(dir => File.Exists(Path.Combine(dir, tool)));

    /// <summary>kubectl (its built-in kustomize) renders the overlays; node runs the schema package.</summary>
    public static string? ManifestToolsMissing =>
        (OnPath("kubectl"), OnPath("node") && OnPath("npm")) switch
        {
            (false, _) => "The manifest tests render with `kubectl kustomize`; kubectl is not installed, so they are skipped.",
            (_, false) => "The manifest tests validate with the npm package kubernetes-models; node/npm are not installed, so they are skipped.",
            _ => null,
        };

    /// <summary>
    /// Why no image can be built or run here: ./build.sh test passes the reason in PERMITS_TEST_IMAGES_SKIP when it
    /// could not make the base image; otherwise podman itself is asked.
    /// </summary>
    public static string? ImagesUnavailable { get; } = FindImagesUnavailable();

    /// <summary>Runs a command and returns its exit code and output together.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string file, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        return await ContainerImages.TryRunAsync(file, arguments, timeout.Token, environment)
            ?? throw new InvalidOperationException($"{file} could not be started.");
    }

    private static string? FindImagesUnavailable()
    {
        if (Environment.GetEnvironmentVariable("PERMITS_TEST_IMAGES_SKIP") is { Length: > 0 } given)
        {
            return "Image test skipped: " + given;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var reason = ContainerImages.WhyUnavailableAsync(timeout.Token).GetAwaiter().GetResult();
        return reason is null ? null : $"Image test skipped: {reason}.";
    }
}

/// <summary>A test that needs kubectl and node; skipped, with the reason, where they are missing.</summary>
public sealed class ManifestFactAttribute : FactAttribute
{
    public ManifestFactAttribute() => Skip = Tools.ManifestToolsMissing;
}

/// <inheritdoc cref="ManifestFactAttribute"/>
public sealed class ManifestTheoryAttribute : TheoryAttribute
{
    public ManifestTheoryAttribute() => Skip = Tools.ManifestToolsMissing;
}

/// <summary>A test that builds and runs an image; skipped, with the reason, where podman cannot run or no base can be made.</summary>
public sealed class ImageFactAttribute : FactAttribute
{
    public ImageFactAttribute() => Skip = Tools.ImagesUnavailable;
}

/// <summary>Paths in the repository the tests read.</summary>
internal static class Repo
{
    public static string Path(params string[] parts) => System.IO.Path.Combine([RepoPaths.Root, .. parts]);
}
