using System.Data.Common;
using System.Diagnostics.Metrics;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;

namespace Permits.Shared.Hosting;

/// <summary>One service database the operations gauges read (registered by <see cref="ServiceModuleExtensions.AddServiceDatabase{TService}"/>).</summary>
public sealed record OperationsProbe(string Service, Func<CancellationToken, Task<DbConnection>> Open);

/// <summary>
/// Gauges an operator alerts on, read with one cheap query each whenever the metrics are collected (every export, by
/// default once a minute), never on a request's path: the outbox's backlog, the age of its oldest unsent message
/// (a relay that stopped publishing) and the rows set aside as unreadable (<see cref="OutboxStatus"/>), for every
/// service database; Review's cases by stage and its open deadlines that
/// have passed; Disclosure's append lag (how long the newest record took from the event to the log). A database that
/// cannot answer yields no measurement; its health check says so. These queries make no spans.
/// </summary>
internal sealed partial class OperationsMetrics(
    IEnumerable<OperationsProbe> probes, IMeterFactory meters, TimeProvider time, ILogger<OperationsMetrics> logger) : IHostedService
{
    /// <summary>By stage (UnderReview, Approved, …) and, for open cases, the work step (Acceptance, Inspection, …).</summary>
    internal const string CasesByStageSql =
        "SELECT stage AS Stage, step AS Step, COUNT(*) AS Cases FROM review_cases GROUP BY stage, step";

    internal const string DeadlineBreachesSql =
        "SELECT kind AS Kind, COUNT(*) AS Deadlines FROM review_deadlines WHERE breached_at IS NOT NULL AND closed_at IS NULL GROUP BY kind";

    internal const string DisclosureLagSql = """
        SELECT occurred_at AS OccurredAt, recorded_at AS RecordedAt FROM disclosure_records
        WHERE position = (SELECT MAX(position) FROM disclosure_records)
        """;

    private readonly List<OperationsProbe> probes = probes.ToList();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (probes.Count == 0)
        {
            return Task.CompletedTask;
        }

        var meter = meters.Create(PermitsTelemetry.SourceName);
        meter.CreateObservableGauge("permits.outbox.pending", () => Observe(probes, ReadOutbox(pending: true)),
            "{message}", "Messages committed to the outbox and not yet confirmed by the broker.");
        meter.CreateObservableGauge("permits.outbox.oldest_age", () => Observe(probes, ReadOutbox(pending: false)),
            "s", "Age of the oldest unsent outbox message (0 when none waits).");
        meter.CreateObservableGauge("permits.outbox.dead_letters", () => Observe(probes, ReadDeadLetters),
            "{row}", "Outbox rows set aside in outbox_dead_letters because they could not be read; each needs a person.");
        var review = probes.Where(p => p.Service == "Review").ToList();
        if (review.Count > 0)
        {
            meter.CreateObservableGauge("permits.review.cases", () => Observe(review, ReadCasesByStage),
                "{case}", "Review cases by stage and, while open, by work step.");
            meter.CreateObservableGauge("permits.review.deadline_breaches", () => Observe(review, ReadBreaches),
                "{deadline}", "Legal deadlines that have passed on cases still open, by kind (Acceptance, Decision, Service).");
        }

        var disclosure = probes.Where(p => p.Service == "Disclosure").ToList();
        if (disclosure.Count > 0)
        {
            meter.CreateObservableGauge("permits.disclosure.append_lag", () => Observe(disclosure, ReadDisclosureLag),
                "s", "Time from the event to its disclosure record, for the newest record.");
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private Func<DbConnection, IEnumerable<(double, KeyValuePair<string, object?>[])>> ReadOutbox(bool pending) => connection =>
    {
        var status = Messaging.OutboxStatus.Read(connection);
        double value = pending
            ? status.Pending
            : status.OldestPendingAt is { } oldest ? Math.Max(0, (time.GetUtcNow() - oldest).TotalSeconds) : 0;
        return [(value, [])];
    };

    private static IEnumerable<(double, KeyValuePair<string, object?>[])> ReadDeadLetters(DbConnection connection) =>
        [(Messaging.OutboxStatus.Read(connection).DeadLetters, [])];

    private static IEnumerable<(double, KeyValuePair<string, object?>[])> ReadCasesByStage(DbConnection connection) =>
        connection.Query<StageRow>(CasesByStageSql)
            .Select(row => ((double)row.Cases, new KeyValuePair<string, object?>[] { new("stage", row.Stage), new("step", row.Step ?? "") }))
            .ToList();

    private static IEnumerable<(double, KeyValuePair<string, object?>[])> ReadBreaches(DbConnection connection) =>
        connection.Query<BreachRow>(DeadlineBreachesSql)
            .Select(row => ((double)row.Deadlines, new KeyValuePair<string, object?>[] { new("kind", row.Kind) }))
            .ToList();

    private static IEnumerable<(double, KeyValuePair<string, object?>[])> ReadDisclosureLag(DbConnection connection) =>
        connection.QuerySingleOrDefault<LagRow>(DisclosureLagSql) is { } row
            ? [(Math.Max(0, (row.RecordedAt - row.OccurredAt).TotalSeconds), [])]
            : [];

    private List<Measurement<double>> Observe(
        IEnumerable<OperationsProbe> from, Func<DbConnection, IEnumerable<(double Value, KeyValuePair<string, object?>[] Tags)>> read)
    {
        var measurements = new List<Measurement<double>>();
        using var quiet = SuppressInstrumentationScope.Begin();
        foreach (var probe in from)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                using var connection = probe.Open(timeout.Token).GetAwaiter().GetResult();
                var service = new KeyValuePair<string, object?>("service", probe.Service);
                measurements.AddRange(read(connection).Select(m => new Measurement<double>(m.Value, [service, .. m.Tags])));
            }
            catch (Exception ex) when (ex is DbException or TimeoutException or OperationCanceledException or InvalidOperationException)
            {
                LogUnreadable(logger, probe.Service, ex.Message);
            }
        }

        return measurements;
    }

    [LoggerMessage(LogLevel.Debug, "Operations gauges: {Service} database did not answer ({Reason})")]
    private static partial void LogUnreadable(ILogger logger, string service, string reason);

    // Classes with setters, not positional records: COUNT(*) is bigint on one engine and int on another.
    private sealed class StageRow
    {
        public string Stage { get; init; } = "";

        public string? Step { get; init; }

        public long Cases { get; init; }
    }

    private sealed class BreachRow
    {
        public string Kind { get; init; } = "";

        public long Deadlines { get; init; }
    }

    private sealed class LagRow
    {
        public DateTimeOffset OccurredAt { get; init; }

        public DateTimeOffset RecordedAt { get; init; }
    }
}

public static class OperationsMetricsExtensions
{
    /// <summary>Lets the operations gauges read <typeparamref name="TService"/>'s database.</summary>
    internal static IServiceCollection AddOperationsProbe<TService>(this IServiceCollection services)
        where TService : Messaging.IServiceModule =>
        services.AddSingleton(sp => new OperationsProbe(
            TService.Name, ct => sp.GetRequiredService<Data.ServiceDatabase<TService>>().OpenAsync(ct)));
}
