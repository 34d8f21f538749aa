using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Npgsql;
using Permits.Shared.Messaging;

namespace Permits.Shared.Data;

/// <summary>
/// One service's database. Typed by the service's marker class so that, in the embedded host, every service
/// resolves its own database from the one container.
/// </summary>
public sealed class ServiceDatabase<TService>(DatabaseOptions options, OutboxSignal<TService> signal)
    where TService : IServiceModule
{
    public SqlDialect Dialect => options.Dialect;

    public DatabaseOptions Options => options;

    private readonly string connectionString =
        options.Dialect == SqlDialect.PostgreSql ? PostgreSqlDefaults(options.ConnectionString) : options.ConnectionString;

    /// <summary>
    /// What a pooled PostgreSQL connection keeps between uses unless the connection string says otherwise. No reset on
    /// close: Npgsql otherwise sends DISCARD ALL before a reused connection's first statement, a transaction of its own
    /// for every unit of work, although no service leaves session state behind (no SET, LISTEN, temporary table or
    /// session lock; the migrator's lock is transaction-scoped). Automatic preparation of the statements a connection
    /// runs again and again (Dapper's SQL is constant text), so PostgreSQL parses and plans each once per connection.
    /// The journey benchmark measured both (README, "Throughput").
    /// </summary>
    public static string PostgreSqlDefaults(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!given.ContainsKey("No Reset On Close") && !given.ContainsKey("NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }

        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = 64;
        }

        return builder.ConnectionString;
    }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        DbConnection connection = options.Dialect switch
        {
            SqlDialect.Sqlite => new SqliteConnection(options.ConnectionString),
            SqlDialect.PostgreSql => new NpgsqlConnection(connectionString),
            SqlDialect.SqlServer => new SqlConnection(options.ConnectionString),
            _ => throw new InvalidOperationException($"Unknown dialect {options.Dialect}."),
        };
        try
        {
            await connection.OpenAsync(cancellationToken);
            if (options.Dialect == SqlDialect.Sqlite)
            {
                // Wait for the single writer instead of failing at once; enforce the foreign keys SQLite ignores by default.
                await using var pragma = connection.CreateCommand();
                pragma.CommandText = "PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON;";
                await pragma.ExecuteNonQueryAsync(cancellationToken);
            }
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Closes the pooled connections this database's work left idle. After the server restarts (or fails over) each of
    /// them is dead, and each would fail the next unit of work that takes it, one after another; a caller that met one
    /// clears them before it tries again on a new connection.
    /// </summary>
    public void ClearPool()
    {
        switch (options.Dialect)
        {
            case SqlDialect.PostgreSql:
                using (var connection = new NpgsqlConnection(connectionString))
                {
                    NpgsqlConnection.ClearPool(connection);
                }

                break;
            case SqlDialect.SqlServer:
                using (var connection = new SqlConnection(options.ConnectionString))
                {
                    SqlConnection.ClearPool(connection);
                }

                break;
        }
    }

    /// <summary>Opens a connection and a transaction: the unit in which a state change and its messages commit.</summary>
    public async Task<DbSession> BeginAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            return new DbSession(connection, transaction, options.Dialect, signal.Notify);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}

/// <summary>The pooled connections of every database of the process.</summary>
public static class DatabasePools
{
    /// <summary>
    /// <see cref="ServiceDatabase{TService}.ClearPool"/> for every database of the process: for a caller that met a
    /// dropped connection but does not know whose (a page's or a call's error handler), so the next try does not meet
    /// another of the dead ones.
    /// </summary>
    public static void ClearAll()
    {
        NpgsqlConnection.ClearAllPools();
        SqlConnection.ClearAllPools();
    }
}
