using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Permits.LocalInfra;

namespace Permits.Build;

/// <summary>One service's image: its folder under services/ and its assembly (the apphost the image runs).</summary>
public sealed record ServiceImage(string Name, string Project)
{
    /// <summary>The assembly and apphost name, e.g. Permits.Intake.</summary>
    public string Assembly => "Permits." + Project;

    /// <summary>The local repository name, e.g. localhost/permits/intake (podman's name for permits/intake).</summary>
    public string Repository => "localhost/permits/" + Name;
}

/// <summary>
/// Builds the service images with podman (rootful, overlay storage, runc) on a Debian base image made here by
/// debootstrap, so no registry is needed. The base's root filesystem is kept as a tarball under .local/images (keyed
/// by what goes into it), so a later run, or a test that needs one service image, only imports it again.
/// </summary>
public sealed class ContainerImages(Action<string> log)
{
    /// <summary>The Debian release of the base (the machine's own, whose keyring debootstrap checks it with).</summary>
    public const string Suite = "bookworm";

    /// <summary>
    /// What a self-contained .NET publish needs beside minbase (ICU for globalization, OpenSSL and the CA bundle for
    /// TLS, time zones for Asia/Shanghai), and the CJK font the PDF-making services (Certificate's licences,
    /// Disclosure's annual reports) embed: Debian's fonts-arphic-gbsn00lp, the font the code looks for.
    /// </summary>
    public static readonly IReadOnlyList<string> BasePackages =
        ["ca-certificates", "libicu72", "libssl3", "libstdc++6", "zlib1g", "tzdata", "fonts-arphic-gbsn00lp"];

    /// <summary>What the images target installs from Debian when missing.</summary>
    public static readonly IReadOnlyList<string> ToolPackages = ["podman", "buildah", "debootstrap", "runc"];

    /// <summary>Every service, in the order the images are built.</summary>
    public static readonly IReadOnlyList<ServiceImage> Services =
    [
        new("identity", "Identity"),
        new("intake", "Intake"),
        new("review", "Review"),
        new("certificate", "Certificate"),
        new("delivery", "Delivery"),
        new("disclosure", "Disclosure"),
        new("notifications", "Notifications"),
        new("portal", "Portal"),
    ];

    /// <summary>The uid and gid the services run as (made in the base; the manifests' runAsUser).</summary>
    public const int ServiceUser = 10001;

    // Bumped when the way the base is made changes, so an old cached tarball is not reused.
    private const string BaseRecipe = "3";

    /// <summary>Where images' inputs and the base's cache live: .local/images (gitignored).</summary>
    public static string Folder => Path.Combine(RepoPaths.Root, ".local", "images");

    /// <summary>The shared Containerfile every service image is built from.</summary>
    public static string Containerfile => Path.Combine(RepoPaths.Root, "deploy", "images", "Containerfile");

    /// <summary>The base image's name: its tag is a hash of what goes into it.</summary>
    public static string BaseImage => $"localhost/permits/base:{Suite}-{BaseKey}";

    private static string BaseKey =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Join(' ', [BaseRecipe, Suite, .. BasePackages]))))[..12];

    private static string BaseTarball => Path.Combine(Folder, $"base-{Suite}-{BaseKey}.tar");

    /// <summary>
    /// podman's settings for this machine, under .local: runc (crun refuses the hybrid cgroup layout seen here),
    /// cgroupfs (no systemd), and no default ulimits (podman raises nofile/nproc by default, which a container
    /// sandbox without CAP_SYS_RESOURCE refuses).
    /// </summary>
    public static IReadOnlyDictionary<string, string> PodmanEnvironment
    {
        get
        {
            var folder = Directory.CreateDirectory(Path.Combine(RepoPaths.Root, ".local", "containers")).FullName;
            var file = Path.Combine(folder, "containers.conf");
            const string settings = """
                # Written by ./build.sh images (deploy/Permits.Build/ContainerImages.cs); podman reads it via CONTAINERS_CONF.
                [containers]
                default_ulimits = []

                [engine]
                runtime = "runc"
                cgroup_manager = "cgroupfs"
                events_logger = "file"
                """;
            if (!File.Exists(file) || File.ReadAllText(file) != settings)
            {
                File.WriteAllText(file, settings);
            }

            return new Dictionary<string, string> { ["CONTAINERS_CONF"] = file };
        }
    }

    /// <summary>
    /// The version images are tagged with: the newest v-tag (without the v) when HEAD is tagged, else
    /// <c>0.0.0-g&lt;commit&gt;</c>, with <c>-dirty</c> for uncommitted changes. Tags allow no '+', hence the dashes.
    /// </summary>
    public static async Task<string> VersionAsync(CancellationToken ct)
    {
        var described = await TryRunAsync("git", ["-C", RepoPaths.Root, "describe", "--tags", "--match", "v[0-9]*", "--exact-match", "--dirty"], ct);
        if (described is { ExitCode: 0 } tagged)
        {
            return tagged.Output.Trim().TrimStart('v');
        }

        var commit = await TryRunAsync("git", ["-C", RepoPaths.Root, "describe", "--always", "--dirty", "--abbrev=7"], ct);
        return commit is { ExitCode: 0 } found ? "0.0.0-g" + found.Output.Trim() : "0.0.0-dev";
    }

    /// <summary>Why images cannot be built or run here (no podman, not root, podman refusing), or null when they can.</summary>
    public static async Task<string?> WhyUnavailableAsync(CancellationToken ct)
    {
        if (!OperatingSystem.IsLinux())
        {
            return "container images are built on Linux only";
        }

        if (Environment.UserName != "root")
        {
            return "building the images needs rootful podman (run as root)";
        }

        var missing = new List<string>();
        foreach (var tool in new[] { "podman", "debootstrap", "runc" })
        {
            if (!OnPath(tool))
            {
                missing.Add(tool);
            }
        }

        if (missing.Count > 0)
        {
            return $"{string.Join(", ", missing)} not installed (apt-get install {string.Join(' ', ToolPackages)})";
        }

        var info = await TryRunAsync("podman", ["info", "--format", "{{.Store.GraphDriverName}}"], ct, PodmanEnvironment);
        return info is { ExitCode: 0 } ? null : $"podman cannot run here: {info?.Output.Trim()}";
    }

    /// <summary>Makes sure the base image is in podman's store: imported from the cached tarball, else made anew.</summary>
    public async Task<string> EnsureBaseAsync(CancellationToken ct)
    {
        if (await TryRunAsync("podman", ["image", "exists", BaseImage], ct, PodmanEnvironment) is { ExitCode: 0 })
        {
            log($"base image {BaseImage} present");
            return BaseImage;
        }

        if (!File.Exists(BaseTarball))
        {
            await MakeBaseTarballAsync(ct);
        }

        log($"importing {Path.GetFileName(BaseTarball)} as {BaseImage}");
        await RunCheckedAsync("podman", ["import", BaseTarball, BaseImage], ct, PodmanEnvironment);
        return BaseImage;
    }

    /// <summary>
    /// Publishes the service self-contained for linux-x64 and builds its image, tagged with the version and (unless
    /// <paramref name="latest"/> is false, as for a test's own tag) latest.
    /// </summary>
    public async Task<IReadOnlyList<string>> BuildServiceAsync(ServiceImage service, string version, CancellationToken ct, bool latest = true)
    {
        var context = Path.Combine(Folder, "context", service.Name);
        var app = Path.Combine(context, "app");
        if (Directory.Exists(context))
        {
            Directory.Delete(context, recursive: true);
        }

        log($"publishing {service.Assembly} (self-contained, linux-x64, ReadyToRun)");
        var project = Path.Combine(RepoPaths.Root, "services", service.Project, service.Assembly + ".csproj");
        await RunCheckedAsync("dotnet",
            // Its own artifacts folder: a RID-specific build must not rewrite the bin/obj that running tests load from.
            // ReadyToRun: the service's own and its packages' assemblies are compiled ahead (the runtime's already are), so a
            // container starts without compiling its start-up path first: Intake against PostgreSQL and RabbitMQ was ready
            // after 1.1 s of CPU instead of 1.5 (1.2–1.9 s instead of 2.1–2.3 s), for 20 MB more image and 13–20 MB more
            // resident memory (the compiled code is mapped beside what the JIT still writes for the hot methods).
            ["publish", project, "-c", "Release", "-r", "linux-x64", "--self-contained", "--nologo", "-o", app,
                "-p:PublishReadyToRun=true", "--artifacts-path", Path.Combine(Folder, "build"),
                "-p:DebugType=none", "-p:GenerateDocumentationFile=false", $"-p:InformationalVersion={version}"],
            ct);

        string[] tags = latest ? [$"{service.Repository}:{version}", $"{service.Repository}:latest"] : [$"{service.Repository}:{version}"];
        log($"building {string.Join(", ", tags)}");
        try
        {
            await RunCheckedAsync("podman",
                ["build", "--isolation", "chroot", "--pull=never", "-f", Containerfile,
                    "--build-arg", $"BASE={BaseImage}", "--build-arg", $"ASSEMBLY={service.Assembly}",
                    "--build-arg", $"SERVICE={service.Name}", "--build-arg", $"VERSION={version}",
                    .. tags.SelectMany(t => new[] { "-t", t }), context],
                ct, PodmanEnvironment);
        }
        finally
        {
            // The publish is in the image now; ~100 MB a service need not stay on disk.
            Directory.Delete(context, recursive: true);
        }

        return tags;
    }

    private async Task MakeBaseTarballAsync(CancellationToken ct)
    {
        var rootfs = Path.Combine(Folder, "rootfs");
        if (Directory.Exists(rootfs))
        {
            // A half-made root from an interrupted run; debootstrap will not start over on it.
            await RunCheckedAsync("rm", ["-rf", "--one-file-system", rootfs], ct);
        }

        Directory.CreateDirectory(Folder);
        var mirror = DebianMirror();
        log($"debootstrap {Suite} (minbase + {string.Join(", ", BasePackages)}) from {mirror}");
        var clock = Stopwatch.StartNew();
        await RunCheckedAsync("debootstrap",
            ["--variant=minbase", $"--include={string.Join(',', BasePackages)}", Suite, rootfs, mirror], ct);
        log($"debootstrap took {clock.Elapsed.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s");

        // What an image never needs at run time: package caches and lists, documentation, translations, logs.
        foreach (var path in new[] { "var/cache/apt", "var/lib/apt/lists", "usr/share/doc", "usr/share/man", "usr/share/info", "usr/share/locale", "var/log" })
        {
            var full = Path.Combine(rootfs, path);
            if (Directory.Exists(full))
            {
                foreach (var entry in Directory.EnumerateFileSystemEntries(full))
                {
                    if (Directory.Exists(entry) && !File.GetAttributes(entry).HasFlag(FileAttributes.ReparsePoint))
                    {
                        Directory.Delete(entry, recursive: true);
                    }
                    else
                    {
                        File.Delete(entry);
                    }
                }
            }
        }

        // The services' own account: no shell, no home but /tmp (the only writable place in the cluster).
        var id = ServiceUser.ToString(CultureInfo.InvariantCulture);
        await File.AppendAllTextAsync(Path.Combine(rootfs, "etc", "passwd"), $"permits:x:{id}:{id}:Permits service:/tmp:/usr/sbin/nologin\n", ct);
        await File.AppendAllTextAsync(Path.Combine(rootfs, "etc", "group"), $"permits:x:{id}:\n", ct);
        await File.WriteAllTextAsync(Path.Combine(rootfs, "etc", "timezone"), "Asia/Shanghai\n", ct);
        File.Delete(Path.Combine(rootfs, "etc", "localtime"));
        File.CreateSymbolicLink(Path.Combine(rootfs, "etc", "localtime"), "/usr/share/zoneinfo/Asia/Shanghai");

        var partial = BaseTarball + ".partial";
        await RunCheckedAsync("tar", ["--numeric-owner", "-C", rootfs, "-cf", partial, "."], ct);
        File.Move(partial, BaseTarball, overwrite: true);
        await RunCheckedAsync("rm", ["-rf", "--one-file-system", rootfs], ct);
        foreach (var stale in Directory.EnumerateFiles(Folder, "base-*.tar").Where(f => f != BaseTarball))
        {
            File.Delete(stale);
        }
    }

    /// <summary>The Debian mirror apt on this machine uses (so debootstrap goes where apt-get already goes).</summary>
    private static string DebianMirror()
    {
        var candidates = new[] { "/etc/apt/sources.list.d/debian.sources", "/etc/apt/sources.list" }.Where(File.Exists);
        foreach (var line in candidates.SelectMany(File.ReadLines).Select(l => l.Trim()))
        {
            if (line.StartsWith("URIs:", StringComparison.Ordinal) && !line.Contains("security", StringComparison.Ordinal))
            {
                return line["URIs:".Length..].Trim().Split(' ')[0];
            }

            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts is ["deb", var uri, var suite, ..] && suite == Suite)
            {
                return uri;
            }
        }

        return "http://deb.debian.org/debian";
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':').Any(dir => File.Exists(Path.Combine(dir, tool)));

    /// <summary>Runs a command to its end, capturing its output; throws with that output unless it exits with 0.</summary>
    public static async Task<string> RunCheckedAsync(string file, IReadOnlyList<string> arguments, CancellationToken ct,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var result = await TryRunAsync(file, arguments, ct, environment)
            ?? throw new InvalidOperationException($"'{file}' is not installed.");
        if (result.ExitCode != 0)
        {
            var output = result.Output.TrimEnd();
            throw new InvalidOperationException(
                $"'{file} {string.Join(' ', arguments)}' failed with exit code {result.ExitCode}:{Environment.NewLine}{output[Math.Max(0, output.Length - 4000)..]}");
        }

        return result.Output;
    }

    /// <summary>Runs a command, capturing stdout and stderr together; null when it cannot be started.</summary>
    public static async Task<(int ExitCode, string Output)?> TryRunAsync(string file, IReadOnlyList<string> arguments,
        CancellationToken ct, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }

        using (process)
        {
            process.StandardInput.Close();
            var output = new StringBuilder();
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            var stderr = process.StandardError.ReadToEndAsync(ct);
            try
            {
                await process.WaitForExitAsync(ct);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            output.Append(await stdout).Append(await stderr);
            return (process.ExitCode, output.ToString());
        }
    }
}
