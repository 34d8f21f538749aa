using System.Globalization;
using Permits.LocalInfra;

namespace Permits.Build;

/// <summary>
/// <c>test</c>: installs the servers' packages if missing, builds, starts one private PostgreSQL and one RabbitMQ
/// for the whole run, runs every test project against them, and ends with the totals alone on the last line.
/// </summary>
internal static class TestTarget
{
    /// <summary>
    /// What the tests need from Debian: the servers they start, the CJK font the licence PDF embeds, pdftoppm to
    /// render it and zbarimg to read its QR code back, and podman, buildah, debootstrap and runc for the image test.
    /// </summary>
    private static readonly string[] TestPackages =
        ["rabbitmq-server", "postgresql", "fonts-arphic-gbsn00lp", "poppler-utils", "zbar-tools", "chromium", "chromium-driver",
            .. ContainerImages.ToolPackages];

    public static async Task<int> RunAsync(string[] testArguments, CancellationToken ct)
    {
        var clock = new PhaseClock();
        var results = Path.Combine(RepoPaths.Root, "artifacts", "test-results");
        // Only this run's results count: a failed build must not report the last run's totals.
        if (Directory.Exists(results))
        {
            Directory.Delete(results, recursive: true);
        }

        string? problem = null;
        var testExitCode = -1;
        try
        {
            await clock.TimeAsync("packages", () => DebianPackages.EnsureInstalledAsync(TestPackages, Console.WriteLine, ct));
            if (await clock.TimeAsync("build", () => Targets.BuildAsync([], ct)) != 0)
            {
                throw new InvalidOperationException("the build failed, so no tests ran.");
            }

            var servers = await clock.TimeAsync("start servers", () => TestServers.StartAsync(RepoPaths.ServerWork("test-infra"), ct));
            try
            {
                if (Directory.Exists(results))
                {
                    Directory.Delete(results, recursive: true);
                }

                var environment = new Dictionary<string, string>
                {
                    ["PERMITS_TEST_POSTGRES"] = servers.Postgres.ConnectionString("postgres"),
                    ["PERMITS_TEST_RABBITMQ"] = servers.RabbitMq.AmqpUri("/"),
                    ["PERMITS_TEST_RABBITMQ_CTL_NODE"] = servers.RabbitMq.NodeName,
                    ["PERMITS_TEST_CONFIGURATION"] = "Release",
                };
                if (await clock.TimeAsync("base image", () => BaseImageProblemAsync(testArguments, ct)) is { } skip)
                {
                    environment["PERMITS_TEST_IMAGES_SKIP"] = skip;
                }

                testExitCode = await clock.TimeAsync("tests", () => Shell.RunAsync("dotnet",
                    ["test", RepoPaths.SolutionFile, "-c", "Release", "--no-build", "--nologo",
                        "--logger", "trx", "--results-directory", results, .. testArguments],
                    ct, environment));
            }
            finally
            {
                await clock.TimeAsync("stop servers", () => servers.DisposeAsync().AsTask());
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            problem = "interrupted.";
        }
        catch (Exception e) when (e is InvalidOperationException or FileNotFoundException or PlatformNotSupportedException)
        {
            problem = e.Message;
        }

        var report = TrxReport.Read(results);
        Print(report, clock);
        if (problem is null && testExitCode != 0 && report.Failed == 0)
        {
            problem = $"dotnet test exited with code {testExitCode.ToString(CultureInfo.InvariantCulture)} (see its output above).";
        }

        if (problem is null && report.Total == 0)
        {
            problem = "no tests ran.";
        }

        if (problem is not null)
        {
            Console.WriteLine($"error: {problem}");
        }

        // The last line, alone, is what scripts read.
        var summary = $"{report.Passed} passed, {report.Failed} failed";
        Console.WriteLine(report.Skipped > 0 ? $"{summary}, {report.Skipped} skipped" : summary);
        return problem is null && report.Failed == 0 ? 0 : 1;
    }

    /// <summary>
    /// Makes (or imports from .local/images) the Debian base the image test builds on, before the tests, so its time
    /// shows as a phase of its own; returns why the image test must be skipped instead, or null. A run filtered to
    /// other tests does not pay for it.
    /// </summary>
    private static async Task<string?> BaseImageProblemAsync(string[] testArguments, CancellationToken ct)
    {
        var filter = testArguments.SkipWhile(a => a != "--filter").Skip(1).FirstOrDefault();
        if (filter is not null && !filter.Contains("Deploy", StringComparison.OrdinalIgnoreCase)
            && !filter.Contains("image", StringComparison.OrdinalIgnoreCase))
        {
            return "the run is filtered to other tests.";
        }

        if (await ContainerImages.WhyUnavailableAsync(ct) is { } reason)
        {
            Console.WriteLine($"image test will be skipped: {reason}");
            return reason;
        }

        try
        {
            await new ContainerImages(Console.WriteLine).EnsureBaseAsync(ct);
            return null;
        }
        catch (InvalidOperationException e)
        {
            Console.WriteLine($"image test will be skipped: the base image could not be made: {e.Message}");
            return "the Debian base image could not be made (see the base image phase above).";
        }
    }

    private static void Print(TrxReport report, PhaseClock clock)
    {
        if (report.Projects.Count > 0)
        {
            Console.WriteLine("Test results:");
            foreach (var (project, passed, failed, skipped) in report.Projects)
            {
                Console.WriteLine($"  {project,-40} {passed,5} passed {failed,5} failed {skipped,5} skipped");
            }
        }

        foreach (var error in report.RunErrors)
        {
            Console.WriteLine($"  run error: {error}");
        }

        if (report.Failures.Count > 0)
        {
            Console.WriteLine("Failed tests:");
            foreach (var (test, message) in report.Failures.Take(50))
            {
                Console.WriteLine($"  {test}: {message}");
            }

            if (report.Failures.Count > 50)
            {
                Console.WriteLine($"  ... and {report.Failures.Count - 50} more (see the .trx files)");
            }
        }

        clock.Print();
    }
}
