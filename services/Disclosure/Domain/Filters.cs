using System.Data.Common;
using Dapper;
using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Disclosure.Domain;

/// <summary>
/// Filter parameters every reader shares. Kinds travel as a fixed set of parameters (@Kind0 … @Kind15) so one SQL text
/// serves every dialect; a province scope is a LIKE prefix on the county code (the first two digits of a division code
/// are the province: 33 = 浙江).
/// </summary>
public static class Filters
{
    public const int MaxKinds = 16;

    public const string KindsFilter = """
        (@KindCount = 0 OR kind IN (@Kind0, @Kind1, @Kind2, @Kind3, @Kind4, @Kind5, @Kind6, @Kind7, @Kind8, @Kind9,
                                    @Kind10, @Kind11, @Kind12, @Kind13, @Kind14, @Kind15))
        """;

    public const string ScopeFilter = """
        (@CountyCode = '' OR county_code = @CountyCode) AND (@ProvincePrefix = '' OR county_code LIKE @ProvincePrefix)
        """;

    /// <summary>
    /// The requested kinds, trimmed, empty ones left out; a comma-separated value counts as several (REST callers may
    /// write <c>kinds=a,b</c> as well as <c>kinds=a&amp;kinds=b</c>, and <c>kinds=</c> for all; no kind holds a comma).
    /// </summary>
    public static List<string> Kinds(IEnumerable<string> requested) =>
        requested.SelectMany(k => k.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToList();

    public static void CheckKinds(IReadOnlyCollection<string> kinds, string field, FieldErrors errors)
    {
        if (kinds.Count > MaxKinds)
        {
            errors.Add(field, $"记录类型最多 {MaxKinds} 个");
        }

        if (kinds.Any(k => k.Length is 0 or > 40))
        {
            errors.Add(field, "记录类型不能为空，且不超过 40 个字符");
        }
    }

    /// <summary>Adds @KindCount and @Kind0 … @Kind15 (unused slots repeat the first kind, which changes nothing).</summary>
    public static void AddKinds(DynamicParameters parameters, IReadOnlyList<string> kinds)
    {
        parameters.Add("KindCount", kinds.Count);
        for (var i = 0; i < MaxKinds; i++)
        {
            parameters.Add($"Kind{i}", kinds.Count == 0 ? "" : kinds[Math.Min(i, kinds.Count - 1)]);
        }
    }

    /// <summary>Adds @CountyCode and @ProvincePrefix ('' for any province).</summary>
    public static void AddScope(DynamicParameters parameters, string countyCode, string? province)
    {
        parameters.Add("CountyCode", countyCode.Trim());
        parameters.Add("ProvincePrefix", string.IsNullOrEmpty(province) ? "" : province + "%");
    }

    /// <summary>The dialect's text of a query: PostgreSQL and SQLite share <c>LIMIT</c>, SQL Server has <c>TOP</c>.</summary>
    public static string ForDialect(SqlDialect dialect, string limitSql, string topSql) =>
        dialect == SqlDialect.SqlServer ? topSql : limitSql;

    /// <summary>
    /// Log rows for <paramref name="sql"/>: its own <paramref name="values"/>, the county or province scope and, when
    /// given, the kinds bound as every reader binds them.
    /// </summary>
    public static async Task<List<LogRow>> ReadAsync(
        DbConnection connection, string sql, object values, string countyCode, string? province, IReadOnlyList<string>? kinds,
        CancellationToken cancellationToken)
    {
        var parameters = new DynamicParameters(values);
        AddScope(parameters, countyCode, province);
        if (kinds is not null)
        {
            AddKinds(parameters, kinds);
        }

        return (await connection.QueryAsync<LogRow>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken))).AsList();
    }
}
