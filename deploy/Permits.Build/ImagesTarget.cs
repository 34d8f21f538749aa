using System.Diagnostics;
using Permits.LocalInfra;

namespace Permits.Build;

/// <summary>
/// <c>images [service…]</c>: installs podman, buildah, debootstrap and runc if missing, makes (or reuses) the Debian
/// base image, and builds every service's image (or those named) from deploy/images/Containerfile.
/// </summary>
internal static class ImagesTarget
{
    public static async Task<int> RunAsync(string[] arguments, CancellationToken ct)
    {
        var unknown = arguments.Where(a => ContainerImages.Services.All(s => s.Name != a)).ToList();
        if (unknown.Count > 0)
        {
            Console.Error.WriteLine($"error: no service named {string.Join(", ", unknown)}; the services are {string.Join(", ", ContainerImages.Services.Select(s => s.Name))}.");
            return 2;
        }

        var clock = new PhaseClock();
        await clock.TimeAsync("packages", () => DebianPackages.EnsureInstalledAsync(ContainerImages.ToolPackages, Console.WriteLine, ct));
        if (await ContainerImages.WhyUnavailableAsync(ct) is { } reason)
        {
            Console.Error.WriteLine($"error: {reason}.");
            return 1;
        }

        var images = new ContainerImages(Console.WriteLine);
        var version = await ContainerImages.VersionAsync(ct);
        await clock.TimeAsync("base image", () => images.EnsureBaseAsync(ct));
        var built = new List<string>();
        foreach (var service in ContainerImages.Services.Where(s => arguments.Length == 0 || arguments.Contains(s.Name)))
        {
            built.AddRange(await clock.TimeAsync(service.Name, () => images.BuildServiceAsync(service, version, ct)));
        }

        Console.WriteLine("Images:");
        foreach (var tag in built)
        {
            Console.WriteLine($"  {tag}");
        }

        clock.Print();
        return 0;
    }
}
