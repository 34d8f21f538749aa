using System.Text.Json;
using System.Text.RegularExpressions;
using Permits.LocalInfra;
using YamlDotNet.RepresentationModel;

namespace Permits.Shared.Tests.Hosting;

/// <summary>deploy/monitoring: what an operator imports into Grafana and loads into Prometheus.</summary>
public sealed partial class When_an_operator_loads_the_monitoring_files
{
    private static readonly string Folder = Path.Combine(RepoPaths.Root, "deploy", "monitoring");

    [Fact]
    public void Should_import_a_dashboard_asking_only_for_its_prometheus_data_source()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "permits-dashboard.json")));
        var root = dashboard.RootElement;

        Assert.Equal("DS_PROMETHEUS", root.GetProperty("__inputs")[0].GetProperty("name").GetString());
        var targets = root.GetProperty("panels").EnumerateArray()
            .Where(p => p.TryGetProperty("targets", out _))
            .SelectMany(p => p.GetProperty("targets").EnumerateArray())
            .ToList();
        Assert.True(targets.Count >= 10);
        Assert.All(targets, t => Assert.False(string.IsNullOrWhiteSpace(t.GetProperty("expr").GetString())));
    }

    [Fact]
    public void Should_alert_on_outbox_age_error_queues_and_deadline_breaches_with_metrics_the_services_make()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(Path.Combine(Folder, "permits-alerts.yaml"))));
        var rules = ((YamlSequenceNode)((YamlMappingNode)((YamlSequenceNode)((YamlMappingNode)yaml.Documents[0].RootNode)["groups"])[0])["rules"])
            .Cast<YamlMappingNode>()
            .ToDictionary(r => r["alert"].ToString(), r => r["expr"].ToString());

        Assert.Contains("permits_outbox_oldest_age_seconds", rules["PermitsOutboxNotPublishing"]);
        Assert.Contains("_error", rules["PermitsErrorQueueNotEmpty"]);
        Assert.Contains("permits_review_deadline_breaches", rules["PermitsDeadlineBreached"]);
        Assert.Contains("permits_outbox_dead_letters", rules["PermitsOutboxDeadLetters"]);

        // Every permits_* series the rules and the dashboard read is an instrument some service creates.
        var sources = Directory.GetFiles(Path.Combine(RepoPaths.Root, "services"), "*.cs", SearchOption.AllDirectories)
            .Select(File.ReadAllText);
        var instruments = sources.SelectMany(text => InstrumentName().Matches(text).Select(m => m.Groups[1].Value.Replace('.', '_')))
            .ToHashSet();
        var used = rules.Values.Append(File.ReadAllText(Path.Combine(Folder, "permits-dashboard.json")))
            .SelectMany(text => SeriesName().Matches(text).Select(m => m.Value))
            .Select(name => SeriesSuffix().Replace(name, ""))
            .ToHashSet();
        Assert.NotEmpty(used);
        Assert.All(used, name => Assert.Contains(name, instruments));
    }

    [GeneratedRegex("\"(permits\\.[a-z_.]+)\"")]
    private static partial Regex InstrumentName();

    [GeneratedRegex("permits_[a-z_]+")]
    private static partial Regex SeriesName();

    [GeneratedRegex("(_seconds)?(_total|_bucket|_count|_sum)?$")]
    private static partial Regex SeriesSuffix();
}
