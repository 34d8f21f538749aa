using System.Diagnostics;

namespace Permits.Shared.Hosting;

/// <summary>The activity source for spans the services make themselves (outbox publishes, background steps).</summary>
public static class PermitsTelemetry
{
    public const string SourceName = "Permits";

    public static readonly ActivitySource Source = new(SourceName);
}
