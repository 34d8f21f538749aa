using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Permits.Embedded;
using Permits.LocalInfra;
using Permits.Shared.Hosting;
using Permits.Testing;

namespace Permits.EndToEnd.Tests;

/// <summary>
/// Every service in one process exporting to an OTLP receiver: the licence's application number finds its whole
/// journey, the shopkeeper's submit, each officer's step and every service's consumer, in one query.
/// </summary>
public sealed class When_a_licence_is_traced : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "permits-trace-tests", Guid.NewGuid().ToString("N"));
    private OtlpReceiver _receiver = null!;
    private WebApplication _app = null!;
    private GrpcChannel _channel = null!;
    private LicenceJourney _journey = null!;

    public async Task InitializeAsync()
    {
        _receiver = await OtlpReceiver.StartAsync();
        var grpc = $"http://127.0.0.1:{FreePort.Next()}";
        var portal = $"http://127.0.0.1:{FreePort.Next()}";
        var sms = $"http://127.0.0.1:{FreePort.Next()}";
        var configuration = new Dictionary<string, string?>(OfficerSignIn.ClientConfiguration(0));
        foreach (var (key, value) in ShopkeeperSignIn.ClientConfiguration(1))
        {
            configuration[key] = value;
        }

        _app = EmbeddedHost.Build([], new Dictionary<string, string?>(configuration)
        {
            ["urls"] = portal,
            ["Grpc:Url"] = grpc,
            ["DataDirectory"] = _dataDirectory,
            ["FakeCourier:Url"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["FakeCourier:StepSeconds"] = "0.3",
            ["Delivery:BookingPollMs"] = "200",
            ["Delivery:TrackingPollMs"] = "300",
            ["Demo:Seed"] = "false",
            ["FakeSms:Url"] = sms,
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = _receiver.Url,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_SERVICE_NAME"] = "permits-embedded",
        });
        await _app.StartAsync();
        _channel = Channels.For(grpc);
        _journey = new LicenceJourney(_channel, _channel, _channel, new OfficerSignIn(portal), new ShopkeeperSignIn(portal, sms));
    }

    public async Task DisposeAsync()
    {
        _journey.Officers.Dispose();
        _journey.Shopkeepers.Dispose();
        _channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task Should_find_submit_each_officer_step_and_every_consumer_by_its_application_number()
    {
        var delivered = await _journey.TravelAsync(SampleApplications.Individual());
        var number = delivered.ApplicationNumber;
        Assert.NotEmpty(number);

        string[] expected =
        [
            "permits.intake.v1.Applications/Submit", "permits.review.v1.Cases/Accept", "permits.review.v1.Cases/RecordOpinion",
            "permits.review.v1.Cases/Approve",
        ];
        var journey = await Eventually.GetAsync(
            () => Task.FromResult<IReadOnlyList<ReceivedSpan>?>(
                _receiver.Spans.Where(s => s.Attributes.GetValueOrDefault(PermitsTelemetry.ApplicationNumberTag) == number).ToList()),
            spans => expected.All(name => spans.Any(s => s.Name.Contains(name)))
                     && spans.Count(s => s.Scope == "MassTransit") >= 4,
            TimeSpan.FromSeconds(30), $"spans of {number} at the receiver");

        Assert.All(journey, span => Assert.Equal("permits-embedded", span.Service));
        // The queue hops continue the submit's trace: Review's consumer of ApplicationSubmitted is in it.
        var submit = journey.First(s => s.Name.Contains("Applications/Submit"));
        Assert.Contains(journey, s => s.Scope == "MassTransit" && s.TraceId == submit.TraceId);
        // Every service's consumers took part: Review (the case), Certificate, Delivery, Disclosure, Intake (status).
        var consumed = journey.Where(s => s.Scope == "MassTransit").Select(s => s.Name).Distinct().ToList();
        Assert.True(consumed.Count >= 4, string.Join(", ", consumed));
    }
}
