namespace Permits.LocalInfra;

/// <summary>How to launch the distributed system.</summary>
/// <param name="Configuration">Build configuration whose output is run: "Debug" or "Release".</param>
/// <param name="DatabaseConnectionString">Connection string for a database name, e.g. <see cref="PostgresServer.ConnectionString"/>.</param>
/// <param name="RabbitMqUri">AMQP URI every service's bus uses.</param>
/// <param name="LogDirectory">Where each service's log (&lt;Service&gt;.log) goes.</param>
public sealed record DistributedSystemOptions(
    string Configuration,
    Func<string, string> DatabaseConnectionString,
    string RabbitMqUri,
    string LogDirectory)
{
    /// <summary>Appended to every database name (permits_intake&lt;suffix&gt;), so two systems can share a server.</summary>
    public string DatabaseSuffix { get; init; } = "";

    /// <summary>Environment variables for every process, applied after the standard ones.</summary>
    public IReadOnlyDictionary<string, string>? ExtraEnvironment { get; init; }

    /// <summary>Per-service environment variables (service name → variables), applied last.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? ServiceEnvironment { get; init; }

    /// <summary>How long each service may take to answer /health/ready.</summary>
    public TimeSpan HealthTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>Where the built services are looked for; the repository root when null.</summary>
    public string? RepositoryRoot { get; init; }
}
