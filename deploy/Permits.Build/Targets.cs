using Permits.LocalInfra;

namespace Permits.Build;

/// <summary>The build program's targets: build, test, run, up, bench, images.</summary>
internal static class Targets
{
    private const string Usage = """
        Usage: ./build.sh <target> [arguments]

        Targets:
          build            dotnet build Permits.sln -c Release -warnaserror
          test [args]      install PostgreSQL and RabbitMQ if missing, build, start private servers, run every test
                           (extra arguments go to dotnet test, e.g. --filter Intake), print the totals
          run [args]       run the embedded all-in-one host (deploy/Permits.Embedded); arguments go to it
          up               build and run every service as its own process on real PostgreSQL and RabbitMQ,
                           until Ctrl+C
          bench [args]     install PostgreSQL and RabbitMQ if missing, run the benchmarks (tests/Permits.Benchmarks);
                           arguments go to them
          images [svc...]  build every service's container image (or those named) with podman on a Debian base made
                           by debootstrap, tagged with the version and latest (deploy/images/Containerfile)
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        var rest = args[1..];
        using var interrupt = new Interrupt();
        try
        {
            return args[0] switch
            {
                "build" => await BuildAsync(rest, interrupt.Token),
                "test" => await TestTarget.RunAsync(rest, interrupt.Token),
                "run" => await RunProjectAsync(Path.Combine("deploy", "Permits.Embedded"), WithDataDirectory(rest), interrupt.Token),
                "up" => await UpTarget.RunAsync(interrupt.Token),
                "bench" => await BenchAsync(rest, interrupt.Token),
                "images" => await ImagesTarget.RunAsync(rest, interrupt.Token),
                "infra-check" => await InfraCheckTarget.RunAsync(interrupt.Token),
                _ => UnknownTarget(args[0]),
            };
        }
        catch (OperationCanceledException) when (interrupt.Token.IsCancellationRequested)
        {
            Console.Error.WriteLine("Interrupted.");
            return 130;
        }
        catch (Exception e) when (e is InvalidOperationException or FileNotFoundException or PlatformNotSupportedException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }

    /// <summary>Builds the whole solution in Release with warnings as errors; returns dotnet's exit code.</summary>
    public static Task<int> BuildAsync(IEnumerable<string> extraArguments, CancellationToken ct) =>
        Shell.RunAsync("dotnet",
            ["build", RepoPaths.SolutionFile, "-c", "Release", "-warnaserror", "--nologo", .. extraArguments],
            ct);

    /// <summary>The benchmarks start the distributed system's servers themselves: install them first, as <c>up</c> does.</summary>
    private static async Task<int> BenchAsync(string[] arguments, CancellationToken ct)
    {
        await DebianPackages.EnsureInstalledAsync(UpTarget.Packages, Console.WriteLine, ct);
        return await RunProjectAsync(Path.Combine("tests", "Permits.Benchmarks"), arguments, ct);
    }

    private static async Task<int> RunProjectAsync(string project, string[] arguments, CancellationToken ct)
    {
        var folder = Path.Combine(RepoPaths.Root, project);
        if (!Directory.Exists(folder))
        {
            Console.Error.WriteLine($"error: {project} does not exist yet, so there is nothing to run.");
            return 1;
        }

        return await Shell.RunAsync("dotnet", ["run", "--project", folder, "-c", "Release", "--", .. arguments], ct);
    }

    /// <summary>`dotnet run` starts in the project folder; keep the embedded data at the repository root instead.</summary>
    private static string[] WithDataDirectory(string[] arguments) =>
        arguments.Any(a => a.Contains("DataDirectory", StringComparison.OrdinalIgnoreCase))
            ? arguments
            : [.. arguments, $"--DataDirectory={Path.Combine(RepoPaths.Root, ".data", "embedded")}"];

    private static int UnknownTarget(string target)
    {
        Console.Error.WriteLine($"error: unknown target '{target}'.");
        Console.Error.WriteLine(Usage);
        return 2;
    }
}
