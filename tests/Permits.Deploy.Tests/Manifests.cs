using k8s;
using Permits.LocalInfra;

namespace Permits.Deploy.Tests;

/// <summary>
/// A kustomization rendered as kubectl would apply it, read into the Kubernetes client's typed models (strictly: a
/// field the API does not know is an error), and checked against the API's JSON schemas by the npm package
/// kubernetes-models (validators generated from the Kubernetes OpenAPI document), installed from the lock file in
/// schema/ into .local/k8s-schema. Only the npm registry is asked, and only when that folder is missing or stale.
/// </summary>
internal static class Manifests
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    /// <summary>k8s/base and every folder under k8s/overlays: each must render and validate on its own.</summary>
    public static IReadOnlyList<string> Kustomizations =>
        [Path.Combine("k8s", "base"), .. Directory.GetDirectories(Repo.Path("k8s", "overlays")).Order()
            .Select(dir => Path.GetRelativePath(RepoPaths.Root, dir))];

    /// <summary>The YAML kubectl kustomize prints for the folder (relative to the repository root).</summary>
    public static async Task<string> RenderAsync(string folder)
    {
        var (exitCode, output) = await Tools.RunAsync("kubectl", ["kustomize", Repo.Path(folder)]);
        Assert.True(exitCode == 0, $"kubectl kustomize {folder} failed:\n{output}");
        return output;
    }

    /// <summary>The rendered objects as the client's typed models; throws on a field the API does not have.</summary>
    public static List<object> Read(string yaml) => KubernetesYaml.LoadAllFromString(yaml, strict: true);

    /// <summary>Runs the schema validator over the objects: exit code 0 and its report, or the problems it found.</summary>
    public static async Task<(bool Valid, string Report)> ValidateAsync(IEnumerable<object> objects)
    {
        var folder = await EnsureValidatorAsync();
        var input = Path.Combine(folder, $"objects-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(input, "[" + string.Join(",", objects.Select(o => KubernetesJson.Serialize(o))) + "]");
        try
        {
            var (exitCode, output) = await Tools.RunAsync("node", [Path.Combine(folder, "validate.mjs"), input]);
            return (exitCode == 0, output);
        }
        finally
        {
            File.Delete(input);
        }
    }

    private static async Task<string> EnsureValidatorAsync()
    {
        var folder = Repo.Path(".local", "k8s-schema");
        await InstallLock.WaitAsync();
        try
        {
            Directory.CreateDirectory(folder);
            var source = Path.Combine(AppContext.BaseDirectory, "schema");
            var changed = false;
            foreach (var file in new[] { "package.json", "package-lock.json", "validate.mjs" })
            {
                var from = await File.ReadAllTextAsync(Path.Combine(source, file));
                var to = Path.Combine(folder, file);
                if (!File.Exists(to) || await File.ReadAllTextAsync(to) != from)
                {
                    await File.WriteAllTextAsync(to, from);
                    changed |= file != "validate.mjs";
                }
            }

            if (changed || !File.Exists(Path.Combine(folder, "node_modules", "kubernetes-models", "package.json")))
            {
                var (exitCode, output) = await Tools.RunAsync("npm", ["ci", "--prefix", folder, "--no-audit", "--no-fund", "--loglevel=error"]);
                Assert.True(exitCode == 0, $"npm ci of the schema package (kubernetes-models) failed:\n{output}");
            }

            return folder;
        }
        finally
        {
            InstallLock.Release();
        }
    }
}
