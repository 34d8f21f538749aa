using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Permits.Embedded;
using Permits.LocalInfra;
using Permits.Shared.Hosting;
using Permits.Testing;

namespace Permits.EndToEnd.Tests;

/// <summary>
/// A government system calls nobody it was not configured to call: not MassTransit's usage tracking
/// (usage-tracking.masstransit.io), not a telemetry collector nobody set up.
/// </summary>
public sealed class When_the_embedded_host_runs : IAsyncLifetime
{
    private readonly ConcurrentBag<string> _outbound = [];
    private readonly string _dataDirectory = TestData.NewFolder("no-call-home");
    private ActivityListener _listener = null!;
    private WebApplication _app = null!;
    private string _portalUrl = "";

    public async Task InitializeAsync()
    {
        // Every HttpClient request, whoever makes it, starts an activity of the System.Net.Http source.
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                if (activity.GetTagItem("url.full") is string url && Uri.TryCreate(url, UriKind.Absolute, out var uri))
                {
                    _outbound.Add(uri.Host);
                }
                else if (activity.GetTagItem("server.address") is string host)
                {
                    _outbound.Add(host);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);

        _portalUrl = $"http://127.0.0.1:{FreePort.Next()}";
        _app = EmbeddedHost.Build([], new Dictionary<string, string?>
        {
            ["urls"] = _portalUrl,
            ["Grpc:Url"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["DataDirectory"] = _dataDirectory,
            ["FakeCourier:Url"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["FakeSms:Url"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["Demo:Seed"] = "false",
        });
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _listener.Dispose();
    }

    [Fact]
    public void Should_keep_masstransit_usage_telemetry_off()
    {
        var options = _app.Services.GetRequiredService<IOptions<UsageTelemetryOptions>>().Value;

        Assert.False(options.Enabled);
    }

    [Fact]
    public async Task Should_call_only_addresses_from_its_configuration()
    {
        // Pages, sign-in discovery, gRPC between modules and the fake courier: whatever runs in the first seconds.
        using (var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(_portalUrl) })
        {
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/")).StatusCode);
            await http.GetAsync("/officer");
        }

        // Every background loop (outbox relays, deadline and suspension timers, courier passes) has run its first pass,
        // and the frequent ones have gone on after the pages were used: whatever they would call, they have called.
        var workers = _app.Services.GetServices<IHostedService>().OfType<PollingWorker>().Where(w => w.IsEnabled).ToList();
        Assert.NotEmpty(workers);
        var passesBefore = workers.Sum(w => w.CompletedPasses);
        await Eventually.TrueAsync(
            () => Task.FromResult(workers.All(w => w.CompletedPasses >= 1) && workers.Sum(w => w.CompletedPasses) >= passesBefore + workers.Count),
            TimeSpan.FromSeconds(60), "a pass of every background worker and more passes of the frequent ones");

        var configured = _app.Configuration.AsEnumerable()
            .SelectMany(pair => (pair.Value ?? "").Split(';'))
            .Select(value => Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) ? uri.Host : null)
            .OfType<string>()
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.All(_outbound.Distinct(), host => Assert.Contains(host, configured));
        Assert.DoesNotContain(_outbound, host => host.Contains("masstransit", StringComparison.OrdinalIgnoreCase));
    }
}
