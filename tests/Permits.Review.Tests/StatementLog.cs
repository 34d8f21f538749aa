using System.Collections.Concurrent;
using System.Diagnostics;

namespace Permits.Review.Tests;

/// <summary>
/// The SQL statements one call sent to PostgreSQL, in order: Npgsql's own spans under a trace the test starts, which
/// gRPC carries to the service and the service's request to its commands. Other tests, running at the same time, are
/// under traces of their own and are not counted.
/// </summary>
public sealed class StatementLog : IDisposable
{
    private static readonly ActivitySource Source = new("Permits.Review.Tests.Statements");

    private readonly ConcurrentDictionary<ActivityTraceId, ConcurrentQueue<string>> _traces = new();
    private readonly ActivityListener _listener;

    public StatementLog()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> options) =>
                _traces.ContainsKey(options.TraceId) ? ActivitySamplingResult.AllDataAndRecorded : ActivitySamplingResult.None,
            ActivityStopped = activity =>
            {
                if (activity.Source.Name == "Npgsql" && _traces.TryGetValue(activity.TraceId, out var statements)
                    && (activity.GetTagItem("db.query.text") ?? activity.GetTagItem("db.statement")) is string sql)
                {
                    statements.Enqueue(string.Join(' ', sql.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries)));
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The statements <paramref name="call"/> caused, each on one line, in the order they ran.</summary>
    public async Task<IReadOnlyList<string>> OfAsync(Func<Task> call)
    {
        var trace = ActivityTraceId.CreateRandom();
        var statements = _traces[trace] = new ConcurrentQueue<string>();
        using (Source.StartActivity("call", ActivityKind.Internal, new ActivityContext(trace, ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded)))
        {
            await call();
        }

        _traces.TryRemove(trace, out _);
        return [.. statements];
    }

    public void Dispose() => _listener.Dispose();
}
