using Dapper;
using Npgsql;
using Permits.Testing;

namespace Permits.Benchmarks;

/// <summary>
/// Where PostgreSQL's time went, by statement (pg_stat_statements, loaded by the journey system's server): the
/// statements that took the most execution time in the measured run, per licence, with the service whose database ran
/// them. Execution time is the server's wall time for the statement (a lock wait counts too), not its CPU alone.
/// </summary>
internal static class StatementStatistics
{
    /// <summary>The <c>@Top</c> statements of the service databases by <paramref name="order"/> (a column of pg_stat_statements).</summary>
    private static string Statements(string order) => $"""
        SELECT d.datname AS Database, s.calls AS Calls, s.total_exec_time AS TotalMs, s.rows AS Rows, s.query AS Query
        FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
        WHERE d.datname LIKE 'permits\_%'
        ORDER BY s.{order} DESC
        LIMIT @Top
        """;

    private const string TotalSql = """
        SELECT COALESCE(SUM(s.total_exec_time), 0) AS TotalMs, COALESCE(SUM(s.calls), 0) AS Calls
        FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
        WHERE d.datname LIKE 'permits\_%'
        """;

    private const string ByDatabaseSql = """
        SELECT d.datname AS Database, SUM(s.calls) AS Calls, SUM(s.total_exec_time) AS TotalMs
        FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
        WHERE d.datname LIKE 'permits\_%'
        GROUP BY d.datname
        ORDER BY SUM(s.calls) DESC
        """;

    /// <summary>Forgets what was counted so far (the warm-up's statements).</summary>
    public static async Task ResetAsync(JourneySystem system)
    {
        await using var connection = Open(system);
        await connection.ExecuteAsync("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        await connection.ExecuteAsync("SELECT pg_stat_statements_reset()");
    }

    public static async Task PrintAsync(JourneySystem system, int licences, int top)
    {
        await using var connection = Open(system);
        var (totalMs, calls) = await connection.QuerySingleAsync<(double, long)>(TotalSql);
        Console.WriteLine($"  statements per licence: {(double)calls / licences:F1}, taking {totalMs / licences:F1} ms of PostgreSQL's time " +
            "(calls and ms per licence; a lock wait counts as time)");
        var databases = await connection.QueryAsync<(string Database, decimal Calls, double TotalMs)>(ByDatabaseSql);
        Console.WriteLine("  by database: " + string.Join(", ", databases.Select(d =>
            $"{d.Database["permits_".Length..]} {(double)d.Calls / licences:F1} ({d.TotalMs / licences:F1} ms)")));
        await PrintAsync(connection, $"the {top} that took most time", Statements("total_exec_time"), licences, top);
        await PrintAsync(connection, $"the {top} run most often", Statements("calls"), licences, top);
        if (Environment.GetEnvironmentVariable("PERMITS_BENCH_STATEMENTS") is { Length: > 0 } file)
        {
            await WriteAllAsync(connection, file, licences);
        }
    }

    /// <summary>
    /// With <c>PERMITS_BENCH_STATEMENTS=file</c>: every statement of the run, per licence, by database and then calls,
    /// with its whole text, to read one service's statements step by step.
    /// </summary>
    private static async Task WriteAllAsync(NpgsqlConnection connection, string file, int licences)
    {
        var rows = await connection.QueryAsync<Row>(
            Statements("calls").Replace("ORDER BY s.calls DESC", "ORDER BY d.datname, s.calls DESC", StringComparison.Ordinal),
            new { Top = int.MaxValue });
        await File.WriteAllLinesAsync(file, rows.Select(r =>
            $"{r.Database["permits_".Length..]}\t{(double)r.Calls / licences:F2}\t{r.TotalMs / licences:F3}\t" +
            string.Join(' ', r.Query.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries))));
        Console.WriteLine($"  every statement: {file}");
    }

    private static async Task PrintAsync(NpgsqlConnection connection, string title, string sql, int licences, int top)
    {
        Console.WriteLine($"  {title}:");
        Console.WriteLine($"  {"database",-14} {"calls",6} {"ms",6} {"µs/call",8} {"rows/call",9}  statement");
        foreach (var row in await connection.QueryAsync<Row>(sql, new { Top = top }))
        {
            var text = string.Join(' ', row.Query.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
            Console.WriteLine($"  {row.Database["permits_".Length..],-14} {(double)row.Calls / licences,6:F1} {row.TotalMs / licences,6:F2} " +
                $"{1000 * row.TotalMs / Math.Max(1, row.Calls),8:F0} {(double)row.Rows / Math.Max(1, row.Calls),9:F1}  " +
                (text.Length <= 110 ? text : text[..110] + "…"));
        }
    }

    private static NpgsqlConnection Open(JourneySystem system) => new(system.Postgres.ConnectionString("postgres"));

    private sealed record Row(string Database, long Calls, double TotalMs, long Rows, string Query);
}
