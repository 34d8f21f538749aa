using System.Diagnostics;
using System.Diagnostics.Metrics;
using OpenTelemetry;

namespace Permits.Shared.Hosting;

/// <summary>
/// The activity source and meter for what the services measure themselves, and the one attribute that ties a
/// licence's journey together: <see cref="ApplicationNumberTag"/>. Marked where the case becomes known (a gRPC request
/// or answer that names it, a consumed message that carries it, or <see cref="ForApplication"/> in a service), it is a
/// tag on that span and baggage below it, so every later span of the request and every log line written under it (the
/// log scope) carries it too: one query by application number finds the submit, each officer action and each message.
/// </summary>
public static class PermitsTelemetry
{
    public const string SourceName = "Permits";

    /// <summary>The span attribute, baggage key and log scope field holding the application number (申请编号).</summary>
    public const string ApplicationNumberTag = "permits.application_number";

    public static readonly ActivitySource Source = new(SourceName);

    public static readonly Meter Meter = new(SourceName);

    /// <summary>Marks the current span (and what runs below it) as part of the case <paramref name="applicationNumber"/>.</summary>
    public static void ForApplication(string? applicationNumber)
    {
        var activity = Activity.Current;
        if (activity is null || string.IsNullOrWhiteSpace(applicationNumber)
            || activity.GetBaggageItem(ApplicationNumberTag) == applicationNumber)
        {
            return;
        }

        activity.SetTag(ApplicationNumberTag, applicationNumber);
        activity.SetBaggage(ApplicationNumberTag, applicationNumber);
    }

    /// <summary>The application number the current span carries, if any.</summary>
    public static string? CurrentApplication => Activity.Current?.GetBaggageItem(ApplicationNumberTag);

    /// <summary>Copies the application number from baggage onto every span started below a marked one (database calls, outgoing calls).</summary>
    internal sealed class ApplicationNumberProcessor : BaseProcessor<Activity>
    {
        public override void OnStart(Activity data)
        {
            if (data.GetBaggageItem(ApplicationNumberTag) is { } number && data.GetTagItem(ApplicationNumberTag) is null)
            {
                data.SetTag(ApplicationNumberTag, number);
            }
        }
    }
}
