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
    private readonly string _dataDirectory = TestData.NewFolder("trace-tests");
    private OtlpReceiver _receiver = null!;
    private EmbeddedUnderTest _system = null!;

    public async Task InitializeAsync()
    {
        _receiver = await OtlpReceiver.StartAsync();
        _system = await EmbeddedUnderTest.StartAsync(_dataDirectory, new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = _receiver.Url,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_SERVICE_NAME"] = "permits-embedded",
        });
    }

    public async Task DisposeAsync()
    {
        await _system.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task Should_find_submit_each_officer_step_and_every_consumer_by_its_application_number()
    {
        var delivered = await _system.Journey.TravelAsync(SampleApplications.Individual());
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
