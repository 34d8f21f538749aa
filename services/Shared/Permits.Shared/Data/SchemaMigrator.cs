using System.Data.Common;
using System.Reflection;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Permits.Shared.Messaging;

namespace Permits.Shared.Data;

/// <summary>
/// Applies the numbered, forward-only scripts at start-up: first the shared ones (outbox, inbox, counters), then the
/// service's own. Scripts are embedded resources named <c>sql/{Dialect}/NNN_name.sql</c>. Runs before the bus and
/// the relay start, because hosted services start in registration order.
/// </summary>
public sealed partial class SchemaMigrator<TService>(
    ServiceDatabase<TService> database,
    ILogger<SchemaMigrator<TService>> logger) : IHostedService
    where TService : IServiceModule
{
    private const string CreateTableSql = """
        CREATE TABLE schema_migrations (
            module VARCHAR(50) NOT NULL,
            version INT NOT NULL,
            name VARCHAR(200) NOT NULL,
            applied_at VARCHAR(40) NOT NULL,
            PRIMARY KEY (module, version)
        )
        """;

    private const string AppliedSql = "SELECT version FROM schema_migrations WHERE module = @Module";

    private const string RecordSql = """
        INSERT INTO schema_migrations (module, version, name, applied_at) VALUES (@Module, @Version, @Name, @AppliedAt)
        """;

    private const string LockSqlPostgres = "SELECT pg_advisory_xact_lock(7261001)";

    private const string LockSqlSqlServer =
        "EXEC sp_getapplock @Resource = 'permits-schema', @LockMode = 'Exclusive', @LockOwner = 'Transaction'";

    private const string TableExistsSqlSqlite =
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'";

    private const string TableExistsSqlPostgres =
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'schema_migrations'";

    private const string TableExistsSqlSqlServer =
        "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'schema_migrations'";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await MigrateAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        if (database.Options.CreateIfMissing)
        {
            await CreateDatabaseIfMissingAsync(cancellationToken);
        }

        var scripts = Scripts(typeof(SchemaMigrator<>).Assembly, "shared")
            .Concat(Scripts(typeof(TService).Assembly, TService.Name))
            .ToList();

        await using var connection = await database.OpenAsync(cancellationToken);
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            await LockAsync(connection, transaction, cancellationToken);
            if (!await TableExistsAsync(connection, transaction))
            {
                await connection.ExecuteAsync(CreateTableSql, transaction: transaction);
            }

            foreach (var module in scripts.GroupBy(s => s.Module))
            {
                var applied = (await connection.QueryAsync<int>(AppliedSql, new { Module = module.Key }, transaction))
                    .ToHashSet();
                foreach (var script in module.OrderBy(s => s.Version).Where(s => !applied.Contains(s.Version)))
                {
                    await connection.ExecuteAsync(script.Sql, transaction: transaction);
                    await connection.ExecuteAsync(RecordSql,
                        new { script.Module, script.Version, script.Name, AppliedAt = DateTimeOffset.UtcNow.ToString("O") },
                        transaction);
                    LogApplied(logger, script.Module, script.Name, database.Dialect);
                }
            }

            await transaction.CommitAsync(cancellationToken);
        }
    }

    private IEnumerable<Script> Scripts(Assembly assembly, string module)
    {
        var prefix = $"sql/{database.Dialect}/";
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var name = resource[prefix.Length..];
            var match = ScriptName().Match(name);
            if (!match.Success)
            {
                throw new InvalidOperationException($"Migration script {resource} must be named NNN_description.sql.");
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            yield return new Script(module, int.Parse(match.Groups[1].Value), name, reader.ReadToEnd());
        }
    }

    /// <summary>Several instances may start at once: one migrates, the others wait and then find nothing to do.</summary>
    private async Task LockAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        switch (database.Dialect)
        {
            case SqlDialect.PostgreSql:
                await connection.ExecuteAsync(LockSqlPostgres, transaction: transaction);
                break;
            case SqlDialect.SqlServer:
                await connection.ExecuteAsync(LockSqlSqlServer, transaction: transaction);
                break;
            default:
                // SQLite transactions here are BEGIN IMMEDIATE: the write lock is already ours.
                break;
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    private async Task<bool> TableExistsAsync(DbConnection connection, DbTransaction transaction)
    {
        var sql = database.Dialect switch
        {
            SqlDialect.Sqlite => TableExistsSqlSqlite,
            SqlDialect.PostgreSql => TableExistsSqlPostgres,
            _ => TableExistsSqlSqlServer,
        };
        return await connection.ExecuteScalarAsync<long>(sql, transaction: transaction) > 0;
    }

    private async Task CreateDatabaseIfMissingAsync(CancellationToken cancellationToken)
    {
        switch (database.Dialect)
        {
            case SqlDialect.Sqlite:
            {
                var path = new SqliteConnectionStringBuilder(database.Options.ConnectionString).DataSource;
                var folder = Path.GetDirectoryName(Path.GetFullPath(path));
                if (!string.IsNullOrEmpty(folder))
                {
                    Directory.CreateDirectory(folder);
                }
                break;
            }
            case SqlDialect.PostgreSql:
            {
                var target = new NpgsqlConnectionStringBuilder(database.Options.ConnectionString);
                var name = SafeName(target.Database);
                var admin = new NpgsqlConnectionStringBuilder(target.ConnectionString) { Database = "postgres", Pooling = false };
                await using var connection = new NpgsqlConnection(admin.ConnectionString);
                await connection.OpenAsync(cancellationToken);
                if (await connection.ExecuteScalarAsync<int?>("SELECT 1 FROM pg_database WHERE datname = @Name", new { Name = name }) is null)
                {
                    try
                    {
                        await connection.ExecuteAsync($"CREATE DATABASE \"{name}\"");
                    }
                    catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
                    {
                        // Another instance created it first.
                    }
                }
                break;
            }
            case SqlDialect.SqlServer:
            {
                var target = new SqlConnectionStringBuilder(database.Options.ConnectionString);
                var name = SafeName(target.InitialCatalog);
                var admin = new SqlConnectionStringBuilder(target.ConnectionString) { InitialCatalog = "master" };
                await using var connection = new SqlConnection(admin.ConnectionString);
                await connection.OpenAsync(cancellationToken);
                await connection.ExecuteAsync($"IF DB_ID(N'{name}') IS NULL CREATE DATABASE [{name}]");
                break;
            }
        }
    }

    /// <summary>Database names go into DDL, which cannot take parameters: allow only a plain identifier.</summary>
    private static string SafeName(string? name) =>
        name is not null && SafeIdentifier().IsMatch(name)
            ? name
            : throw new InvalidOperationException($"Database name '{name}' must be letters, digits and underscores.");

    [GeneratedRegex(@"^(\d{3})_[a-z0-9_]+\.sql$")]
    private static partial Regex ScriptName();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,62}$")]
    private static partial Regex SafeIdentifier();

    [LoggerMessage(LogLevel.Information, "Applied {Module} migration {Script} ({Dialect})")]
    private static partial void LogApplied(ILogger logger, string module, string script, SqlDialect dialect);

    private sealed record Script(string Module, int Version, string Name, string Sql);
}
