namespace Permits.Shared.Data;

/// <summary>
/// Where one service keeps its data. Read from <c>Database:Provider</c> and <c>ConnectionStrings:Database</c>
/// (a service process) or <c>Services:{Name}:Database:*</c> (one service inside the embedded host).
/// </summary>
public sealed record DatabaseOptions(SqlDialect Dialect, string ConnectionString, bool CreateIfMissing);
