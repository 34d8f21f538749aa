namespace Permits.Shared.Data;

/// <summary>The database engines the services run on, chosen by configuration (<c>Database:Provider</c>).</summary>
public enum SqlDialect
{
    /// <summary>Embedded default: one file per service, no server.</summary>
    Sqlite,
    /// <summary>The tested server; also the basis of KingbaseES, openGauss and HighGo.</summary>
    PostgreSql,
    /// <summary>The production database the users named; verified here by parsing only.</summary>
    SqlServer,
}
