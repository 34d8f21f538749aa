using System.Text.RegularExpressions;
using k8s.Models;
using Permits.Build;

namespace Permits.Deploy.Tests;

/// <summary>
/// Every kustomization renders, and what it renders is what the Kubernetes API accepts (its schemas, not rules of
/// ours); then what the operations design asks of it: hardened pods, budgets, autoscaling, network policies that
/// follow who calls whom in the code, Ingress with TLS, secrets that exist for every reference.
/// </summary>
public sealed partial class When_every_kustomization_is_rendered
{
    /// <summary>Who calls whom over gRPC (port 8081). The Portal calls every back end; the rest are read from the code.</summary>
    private static readonly Dictionary<string, string[]> Calls = new()
    {
        ["portal"] = ["intake", "review", "certificate", "delivery", "disclosure", "notifications"],
        ["intake"] = ["certificate"],
        ["review"] = ["identity"],
        ["certificate"] = ["intake"],
        ["delivery"] = ["intake"],
        ["disclosure"] = [],
        ["identity"] = [],
        ["notifications"] = [],
    };

    public static TheoryData<string> Kustomizations => [.. Manifests.Kustomizations];

    [ManifestTheory]
    [MemberData(nameof(Kustomizations))]
    public async Task Should_render_only_objects_the_Kubernetes_schemas_accept(string folder)
    {
        var objects = Manifests.Read(await Manifests.RenderAsync(folder));
        Assert.NotEmpty(objects);
        var (valid, report) = await Manifests.ValidateAsync(objects);
        Assert.True(valid, $"{folder} does not validate:\n{report}");
    }

    [ManifestFact]
    public async Task Should_refuse_an_object_the_schemas_do_not_accept()
    {
        // The checks are real: a missing required field fails the schemas, and a field the API does not have fails
        // the strict read.
        const string deployment = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: { name: example }
            spec:
              selector: { matchLabels: { app: example } }
              template:
                metadata: { labels: { app: example } }
                spec:
                  containers: [{ name: example, image: permits/example }]
            """;
        Assert.True((await Manifests.ValidateAsync(Manifests.Read(deployment))).Valid);

        var (withoutSelector, report) = await Manifests.ValidateAsync(Manifests.Read(deployment.Replace("  selector: { matchLabels: { app: example } }\n", "")));
        Assert.False(withoutSelector);
        Assert.Contains("selector", report);

        var (withoutContainerName, _) = await Manifests.ValidateAsync(Manifests.Read(deployment.Replace("name: example, image", "image")));
        Assert.False(withoutContainerName);

        Assert.ThrowsAny<Exception>(() => Manifests.Read(deployment.Replace("selector:", "selektor:")));
    }

    [ManifestTheory]
    [MemberData(nameof(Kustomizations))]
    public async Task Should_run_every_service_hardened_with_a_budget_autoscaling_and_a_graceful_stop(string folder)
    {
        var objects = Manifests.Read(await Manifests.RenderAsync(folder));
        var deployments = objects.OfType<V1Deployment>().ToList();
        Assert.Equal(ContainerImages.Services.Select(s => s.Name).Order(), deployments.Select(d => d.Metadata.Name).Order());
        foreach (var deployment in deployments)
        {
            var name = deployment.Metadata.Name;
            var pod = deployment.Spec.Template.Spec;
            var container = Assert.Single(pod.Containers);
            Assert.True(pod.SecurityContext.RunAsNonRoot, name);
            Assert.Equal(ContainerImages.ServiceUser, pod.SecurityContext.RunAsUser);
            Assert.False(container.SecurityContext.AllowPrivilegeEscalation, name);
            Assert.True(container.SecurityContext.ReadOnlyRootFilesystem, name);
            Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);
            var tmp = Assert.Single(container.VolumeMounts, m => m.MountPath == "/tmp");
            Assert.NotNull(Assert.Single(pod.Volumes, v => v.Name == tmp.Name).EmptyDir);
            Assert.NotNull(container.Lifecycle.PreStop);
            Assert.True(pod.TerminationGracePeriodSeconds > 10, $"{name} has time to finish after the preStop sleep");
            Assert.Matches($"^(.+/)?permits/{name}:[A-Za-z0-9_.-]+$", container.Image);
            Assert.Equal("http://+:8080", container.Env.Single(e => e.Name == "ASPNETCORE_URLS").Value);

            var budget = Assert.Single(objects.OfType<V1PodDisruptionBudget>(), b => b.Metadata.Name == name);
            Assert.Equal(name, budget.Spec.Selector.MatchLabels["app.kubernetes.io/name"]);
            var scaler = Assert.Single(objects.OfType<V2HorizontalPodAutoscaler>(), h => h.Spec.ScaleTargetRef.Name == name);
            Assert.Equal("cpu", Assert.Single(scaler.Spec.Metrics).Resource.Name);
        }

        var common = objects.OfType<V1ConfigMap>().Single(c => c.Metadata.Name.StartsWith("permits-common", StringComparison.Ordinal));
        Assert.Equal("Production", common.Data["ASPNETCORE_ENVIRONMENT"]);
        Assert.StartsWith("http", common.Data["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        foreach (var behindIngress in new[] { "identity", "portal" })
        {
            var env = deployments.Single(d => d.Metadata.Name == behindIngress).Spec.Template.Spec.Containers[0].Env;
            Assert.Equal("true", env.Single(e => e.Name == "ForwardedHeaders__Enabled").Value);
            Assert.NotEmpty(env.Single(e => e.Name == "ForwardedHeaders__KnownNetworks").Value.Split(','));
        }

        var ingress = Assert.Single(objects.OfType<V1Ingress>());
        Assert.False(string.IsNullOrEmpty(ingress.Spec.IngressClassName));
        var tls = Assert.Single(ingress.Spec.Tls);
        Assert.Equal(ingress.Spec.Rules.Select(r => r.Host).Order(), tls.Hosts.Order());
    }

    [ManifestTheory]
    [MemberData(nameof(Kustomizations))]
    public async Task Should_let_each_service_be_reached_only_by_the_services_that_call_it(string folder)
    {
        var policies = Manifests.Read(await Manifests.RenderAsync(folder)).OfType<V1NetworkPolicy>().ToList();
        var denyAll = Assert.Single(policies, p => p.Spec.Ingress is null && p.Spec.Egress is null);
        Assert.Equal(["Ingress", "Egress"], denyAll.Spec.PolicyTypes);

        foreach (var (service, callees) in Calls)
        {
            var own = policies.SingleOrDefault(p => p.Metadata.Name == service);
            var callers = Calls.Where(c => c.Value.Contains(service)).Select(c => c.Key).Order().ToList();
            var allowedOnGrpc = (own?.Spec.Ingress ?? [])
                .Where(rule => rule.Ports.Any(p => p.Port.Value == "8081"))
                .SelectMany(rule => rule.FromProperty).Select(peer => peer.PodSelector.MatchLabels["app.kubernetes.io/name"]).Order();
            Assert.Equal(callers, allowedOnGrpc);
            var reachesOnGrpc = (own?.Spec.Egress ?? [])
                .Where(rule => rule.Ports.Any(p => p.Port.Value == "8081"))
                .SelectMany(rule => rule.To).Select(peer => peer.PodSelector.MatchLabels["app.kubernetes.io/name"]).Order();
            Assert.Equal(callees.Order(), reachesOnGrpc);
        }
    }

    [Fact]
    public void Should_know_every_call_the_services_make_in_their_code()
    {
        // Each back end names the services it calls in a Services:<Name>:Url setting; the policies above follow the table.
        foreach (var (service, callees) in Calls.Where(c => c.Key != "portal"))
        {
            var project = ContainerImages.Services.Single(s => s.Name == service).Project;
            var named = Directory.EnumerateFiles(Repo.Path("services", project), "*.cs", SearchOption.AllDirectories)
                .SelectMany(file => ServiceUrl().Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Value.ToLowerInvariant()))
                .Distinct().Order();
            Assert.Equal(callees.Order(), named);
        }
    }

    [ManifestFact]
    public async Task Should_bring_up_a_whole_system_on_one_node_from_the_local_overlay()
    {
        var objects = Manifests.Read(await Manifests.RenderAsync(Path.Combine("k8s", "overlays", "local")));
        foreach (var store in new[] { "postgresql", "rabbitmq" })
        {
            var set = Assert.Single(objects.OfType<V1StatefulSet>(), s => s.Metadata.Name == store);
            Assert.NotEmpty(set.Spec.VolumeClaimTemplates);
            Assert.Single(objects.OfType<V1Service>(), s => s.Metadata.Name == store);
        }

        // kubectl apply -k must find every Secret and ConfigMap a pod names: none is left for the operator here.
        var secrets = objects.OfType<V1Secret>().Select(s => s.Metadata.Name).ToHashSet();
        var maps = objects.OfType<V1ConfigMap>().Select(c => c.Metadata.Name).ToHashSet();
        var pods = objects.OfType<V1Deployment>().Select(d => d.Spec.Template.Spec)
            .Concat(objects.OfType<V1StatefulSet>().Select(s => s.Spec.Template.Spec)).ToList();
        foreach (var container in pods.SelectMany(p => p.Containers))
        {
            foreach (var reference in (container.Env ?? []).Select(e => e.ValueFrom?.SecretKeyRef).OfType<V1SecretKeySelector>())
            {
                Assert.Contains(reference.Name, secrets);
            }

            foreach (var source in container.EnvFrom ?? [])
            {
                Assert.True(source.SecretRef is null || secrets.Contains(source.SecretRef.Name), source.SecretRef?.Name);
                Assert.True(source.ConfigMapRef is null || maps.Contains(source.ConfigMapRef.Name), source.ConfigMapRef?.Name);
            }
        }

        // The Portal calls Identity inside the cluster, so sign-in needs neither the public name resolvable from a pod nor
        // a certificate the pods trust; the policies let exactly that call through.
        var portalEnv = objects.OfType<V1Deployment>().Single(d => d.Metadata.Name == "portal").Spec.Template.Spec.Containers[0].Env;
        var backChannel = new Uri(portalEnv.Single(e => e.Name == "Identity__BackChannel").Value);
        Assert.Single(objects.OfType<V1Service>(), s => s.Metadata.Name == backChannel.Host && s.Spec.Ports.Any(p => p.Port == backChannel.Port));
        var policies = objects.OfType<V1NetworkPolicy>().ToList();
        Assert.Contains(policies.Single(p => p.Metadata.Name == backChannel.Host).Spec.Ingress, rule =>
            rule.Ports.Any(p => p.Port.Value == backChannel.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))
            && rule.FromProperty.Any(peer => Names(peer.PodSelector, "portal")));
        Assert.Contains(policies.Single(p => p.Metadata.Name == "portal").Spec.Egress, rule =>
            rule.Ports.Any(p => p.Port.Value == backChannel.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))
            && rule.To.Any(peer => Names(peer.PodSelector, backChannel.Host)));
        Assert.Contains(Assert.Single(objects.OfType<V1Ingress>()).Spec.Tls[0].SecretName, secrets);
        // The images as ./build.sh images tags them, found on the node without a registry.
        foreach (var service in ContainerImages.Services)
        {
            var deployment = objects.OfType<V1Deployment>().Single(d => d.Metadata.Name == service.Name);
            Assert.Equal($"{service.Repository}:latest", deployment.Spec.Template.Spec.Containers[0].Image);
            Assert.Equal("IfNotPresent", deployment.Spec.Template.Spec.Containers[0].ImagePullPolicy);
        }
    }

    private static bool Names(V1LabelSelector? selector, string app) =>
        selector?.MatchLabels?.TryGetValue("app.kubernetes.io/name", out var name) == true && name == app;

    [GeneratedRegex(@"Services:([A-Za-z]+):Url")]
    private static partial Regex ServiceUrl();
}
