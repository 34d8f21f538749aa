using System.Collections.Concurrent;
using System.Diagnostics;
using Permits.Shared.Hosting;

namespace Permits.Review.Tests;

/// <summary>
/// The deadline watcher works outside any request, yet what it does to a case belongs to that licence's journey: its
/// span carries the application number like every other step, so one query finds the breach with the rest.
/// </summary>
public sealed class When_the_watcher_raises_a_breach : IAsyncLifetime
{
    private ReviewHost _host = null!;

    public async Task InitializeAsync() => _host = await ReviewHost.StartAsync("Sqlite", ManualTime.AtChinaTime(2026, 11, 2));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Should_trace_it_under_the_cases_application_number()
    {
        var opened = await _host.SubmitAsync();
        await _host.Client.AcceptAsync(Officers.Act(opened.CaseId, "clerk"));
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == PermitsTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        _host.Time.SetChinaDate(new DateOnly(2026, 12, 1));
        await _host.Watcher.RunOnceAsync(default);

        var ofCase = spans.Where(span => (string?)span.GetTagItem(PermitsTelemetry.ApplicationNumberTag) == opened.ApplicationNumber);
        Assert.Single(ofCase, span => span.OperationName == "deadline breach" && (string?)span.GetTagItem("permits.deadline.kind") == "Decision");
    }
}
