using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Permits.Review.Tests;

/// <summary>
/// The gauges an operator alerts on, read from Review's own database as the metrics pipeline collects them: cases by
/// stage, open deadlines that have passed, and the outbox. Only this host's meter is read (tests run side by side).
/// </summary>
public abstract class When_an_operator_collects_reviews_gauges(string provider) : IAsyncLifetime
{
    private ReviewHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await ReviewHost.StartAsync(provider, ManualTime.AtChinaTime(2026, 11, 2));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Should_count_cases_by_stage_and_the_breached_deadlines_by_kind()
    {
        var waiting = await _host.SubmitAsync();
        foreach (var _ in Enumerable.Range(0, 2))
        {
            var opened = await _host.SubmitAsync();
            await _host.Client.AcceptAsync(Officers.Act(opened.CaseId, "clerk"));
        }

        var gauges = Collect();

        Assert.Equal(2, gauges[("permits.review.cases", "UnderReview/Inspection")]);
        Assert.Equal(1, gauges[("permits.review.cases", $"{waiting.Stage}/Acceptance")]);
        Assert.DoesNotContain(gauges.Keys, key => key.Instrument == "permits.review.deadline_breaches");
        Assert.Equal(0, gauges[("permits.outbox.dead_letters", "")]);

        // A month on: the accepted cases are past their 20 working days; the waiting one was deemed accepted.
        _host.Time.SetChinaDate(new DateOnly(2026, 12, 1));
        await _host.Watcher.RunOnceAsync(default);
        gauges = Collect();

        Assert.Equal(3, gauges[("permits.review.cases", "UnderReview/Inspection")]);
        Assert.InRange(gauges[("permits.review.deadline_breaches", "Decision")], 2, 3);
        Assert.True(gauges[("permits.outbox.pending", "")] >= 1);
    }

    /// <summary>Every measurement of this host's operations gauges, by instrument and its stage/step or kind tags.</summary>
    private Dictionary<(string Instrument, string Tag), double> Collect()
    {
        var factory = _host.Services.GetRequiredService<IMeterFactory>();
        var seen = new Dictionary<(string, string), double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory) && instrument.Name.StartsWith("permits.", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            var tag = new List<string>();
            foreach (var pair in tags)
            {
                if (pair.Key is "stage" or "step" or "kind")
                {
                    tag.Add(pair.Value?.ToString() ?? "");
                }
            }

            seen[(instrument.Name, string.Join('/', tag))] = value;
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return seen;
    }
}

public sealed class When_an_operator_collects_reviews_gauges_on_sqlite() : When_an_operator_collects_reviews_gauges("Sqlite");

public sealed class When_an_operator_collects_reviews_gauges_on_postgresql() : When_an_operator_collects_reviews_gauges("PostgreSql");
