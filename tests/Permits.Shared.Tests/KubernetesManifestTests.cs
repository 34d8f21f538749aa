using Permits.LocalInfra;
using YamlDotNet.RepresentationModel;

namespace Permits.Shared.Tests;

/// <summary>
/// No cluster runs here, so the manifests are checked against the code instead: every service has a Deployment that
/// probes the health endpoints the shared defaults map, serves gRPC where the service does, and is reachable under
/// the address the others are configured with.
/// </summary>
public sealed class When_the_cluster_manifests_are_read
{
    private static readonly string Base = System.IO.Path.Combine(RepoPaths.Root, "k8s", "base");

    /// <summary>The services, and whether each serves gRPC on its own port.</summary>
    public static TheoryData<string, bool> Services => new()
    {
        { "Identity", true },
        { "Intake", true },
        { "Review", true },
        { "Certificate", true },
        { "Delivery", true },
        { "Disclosure", true },
        { "Notifications", true },
        { "Portal", false },
    };

    [Fact]
    public void Should_cover_every_service_in_the_repository_and_list_every_file_in_the_kustomization()
    {
        var inRepo = Directory.GetDirectories(System.IO.Path.Combine(RepoPaths.Root, "services"))
            .Select(System.IO.Path.GetFileName).Where(name => name != "Shared").Order().ToList();
        Assert.Equal(Services.Select(row => (string)row[0]).Order(), inRepo!);

        var kustomization = Load("kustomization.yaml").Single();
        var resources = ((YamlSequenceNode)kustomization.Children["resources"]).Select(node => node.ToString()).Order();
        var files = Directory.GetFiles(Base, "*.yaml").Select(System.IO.Path.GetFileName).Where(f => f != "kustomization.yaml").Order();
        Assert.Equal(files!, resources);
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void Should_run_the_service_with_probes_on_the_health_endpoints(string service, bool grpc)
    {
        var name = service.ToLowerInvariant();
        var documents = Load(name + ".yaml");
        var deployment = documents.Single(d => Scalar(d, "kind") == "Deployment");
        var container = (YamlMappingNode)((YamlSequenceNode)Node(deployment, "spec", "template", "spec", "containers"))[0];

        Assert.Equal(name, Scalar(Node(deployment, "metadata"), "name"));
        Assert.Equal("/health/ready", Scalar(Node(container, "readinessProbe", "httpGet"), "path"));
        Assert.Equal("/health/live", Scalar(Node(container, "livenessProbe", "httpGet"), "path"));
        Assert.True(int.Parse(Scalar(Node(deployment, "spec"), "replicas")) >= 2, "each service runs with replicas");

        var env = ((YamlSequenceNode)container.Children["env"]).Cast<YamlMappingNode>()
            .ToDictionary(e => Scalar(e, "name"), e => e);
        // "+" listens on IPv6 and IPv4 alike.
        Assert.Equal("http://+:8080", Scalar(env["ASPNETCORE_URLS"], "value"));
        var ports = ((YamlSequenceNode)container.Children["ports"]).Cast<YamlMappingNode>()
            .ToDictionary(p => Scalar(p, "name"), p => Scalar(p, "containerPort"));
        Assert.Equal("8080", ports["http"]);
        Assert.Equal(grpc, ports.ContainsKey("grpc"));
        Assert.Equal(grpc, env.ContainsKey("Grpc__Url"));

        var kubeService = documents.Single(d => Scalar(d, "kind") == "Service");
        var servicePorts = ((YamlSequenceNode)Node(kubeService, "spec", "ports")).Cast<YamlMappingNode>().Select(p => Scalar(p, "name"));
        Assert.Equal(ports.Keys.Order(), servicePorts.Order());

        if (grpc)
        {
            // The other services find this one under the address in the shared configuration.
            var literals = ((YamlSequenceNode)((YamlSequenceNode)Load("kustomization.yaml").Single().Children["configMapGenerator"])
                .Cast<YamlMappingNode>().Single().Children["literals"]).Select(l => l.ToString()).ToList();
            Assert.Contains($"Services__{service}__Url=http://{name}:8081", literals);
        }
    }

    private static List<YamlMappingNode> Load(string file)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(System.IO.Path.Combine(Base, file));
        stream.Load(reader);
        return stream.Documents.Select(d => (YamlMappingNode)d.RootNode).ToList();
    }

    private static YamlNode Node(YamlNode node, params string[] keys) =>
        keys.Aggregate(node, (current, key) => ((YamlMappingNode)current).Children[key]);

    private static string Scalar(YamlNode node, string key) => ((YamlMappingNode)node).Children[key].ToString();
}
