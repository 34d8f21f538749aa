using System.Net;
using System.Reflection.PortableExecutable;
using Permits.Build;
using Permits.LocalInfra;
using Permits.Testing;

namespace Permits.Deploy.Tests;

/// <summary>
/// One service's image, built as ./build.sh images builds it (on the cached Debian base), run by podman with a
/// read-only root as in the cluster, against the test PostgreSQL and RabbitMQ on loopback (host network), until its
/// readiness endpoint answers. Intake stands for all: every image is the same template over another publish.
/// </summary>
public sealed class When_a_service_image_is_built_and_run
{
    private static readonly TimeSpan ReadyWithin = TimeSpan.FromMinutes(2);

    [ImageFact]
    public async Task Should_start_as_the_non_root_user_and_report_ready_on_the_test_PostgreSQL_and_RabbitMQ()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(9));
        var ct = timeout.Token;
        var images = new ContainerImages(_ => { });
        var service = ContainerImages.Services.Single(s => s.Name == "intake");
        await images.EnsureBaseAsync(ct);
        var tag = Assert.Single(await images.BuildServiceAsync(service, "test", ct, latest: false));

        var servers = await TestServers.GetAsync();
        var database = await servers.NewDatabaseAsync("image");
        var rabbitMq = await servers.NewVirtualHostAsync("image");
        var http = FreePort.Next();
        var grpc = FreePort.Next();
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{http}",
            ["Grpc__Url"] = $"http://127.0.0.1:{grpc}",
            ["Database__Provider"] = "PostgreSql",
            ["ConnectionStrings__Database"] = database,
            ["Bus__Transport"] = "RabbitMq",
            ["ConnectionStrings__RabbitMq"] = rabbitMq,
            ["Services__Certificate__Url"] = $"http://127.0.0.1:{FreePort.Next()}",
        };
        foreach (var (key, value) in Tokens.Configuration)
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value!;
        }

        var name = $"permits-image-test-{Guid.NewGuid():N}"[..32];
        string[] run = ["run", "--detach", "--name", name, "--network", "host", "--read-only", "--tmpfs", "/tmp",
            .. environment.SelectMany(e => new[] { "--env", $"{e.Key}={e.Value}" }), tag];
        var started = await Tools.RunAsync("podman", run, ContainerImages.PodmanEnvironment);
        Assert.True(started.ExitCode == 0, $"podman run failed:\n{started.Output}");
        try
        {
            var user = await Tools.RunAsync("podman", ["exec", name, "id", "-u"], ContainerImages.PodmanEnvironment);
            Assert.Equal(ContainerImages.ServiceUser.ToString(System.Globalization.CultureInfo.InvariantCulture), user.Output.Trim());
            Assert.Equal("2", (await Tools.RunAsync("podman", ["exec", name, "printenv", "MALLOC_ARENA_MAX"], ContainerImages.PodmanEnvironment)).Output.Trim());
            await AssertReadyToRunAsync(name, $"/app/{service.Assembly}.dll");

            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var (status, body) = await ReadyAsync(client, $"http://127.0.0.1:{http}/health/ready", name);
            Assert.True(status == HttpStatusCode.OK, $"not ready within {ReadyWithin}: {status} {body}\n{await LogsAsync(name)}");
        }
        finally
        {
            await Tools.RunAsync("podman", ["rm", "--force", "--time", "5", name], ContainerImages.PodmanEnvironment);
            await Tools.RunAsync("podman", ["rmi", tag], ContainerImages.PodmanEnvironment);
        }
    }

    /// <summary>Asks until the endpoint answers 200, the container stops, or the time is up; the last answer.</summary>
    private static async Task<(HttpStatusCode? Status, string Body)> ReadyAsync(HttpClient client, string url, string container)
    {
        var deadline = DateTime.UtcNow + ReadyWithin;
        (HttpStatusCode? Status, string Body) last = (null, "no answer");
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await client.GetAsync(url);
                last = (response.StatusCode, await response.Content.ReadAsStringAsync());
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return last;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = (null, e.Message);
            }

            var state = await Tools.RunAsync("podman", ["inspect", "--format", "{{.State.Running}}", container], ContainerImages.PodmanEnvironment);
            if (state.Output.Trim() != "true")
            {
                return (null, "the container stopped");
            }

            await Task.Delay(500);
        }

        return last;
    }

    /// <summary>
    /// The assembly in the image carries ahead-of-time compiled code (a ReadyToRun header), so the container does not
    /// compile its start-up path before it can answer.
    /// </summary>
    private static async Task AssertReadyToRunAsync(string container, string path)
    {
        var copy = Path.Combine(Path.GetTempPath(), $"{container}-{Path.GetFileName(path)}");
        try
        {
            var copied = await Tools.RunAsync("podman", ["cp", $"{container}:{path}", copy], ContainerImages.PodmanEnvironment);
            Assert.True(copied.ExitCode == 0, $"podman cp failed:\n{copied.Output}");
            using var reader = new PEReader(File.OpenRead(copy));
            Assert.True(reader.PEHeaders.CorHeader is { ManagedNativeHeaderDirectory.Size: > 0 }, $"{path} in the image is not ReadyToRun");
        }
        finally
        {
            File.Delete(copy);
        }
    }

    private static async Task<string> LogsAsync(string container) =>
        (await Tools.RunAsync("podman", ["logs", "--tail", "40", container], ContainerImages.PodmanEnvironment)).Output;
}
