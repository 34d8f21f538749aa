using Dapper;
using Permits.Contracts.Certificate.V1;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Steps;

namespace Permits.Certificate.Features;

/// <summary>
/// Officers find the licences of their own county (the county comes from the token, never the request): by licence
/// number, application number or part of the holder's name, optionally by stored status; newest first.
/// </summary>
public sealed class SearchLicences(ServiceDatabase<CertificateModule> database)
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    private const string Filter = """
        WHERE county_code = @CountyCode
          AND (@Status = '' OR status = @Status)
          AND (@Query = '' OR licence_number = @Query OR application_number = @Query OR holder_name LIKE @Pattern ESCAPE '\')
        """;

    public const string SearchSqlSqlServer = $"SELECT TOP (@Limit) {CertificateRecords.Columns} FROM certificates {Filter} ORDER BY issued_at DESC, licence_number";

    public const string SearchSqlPostgres = $"SELECT {CertificateRecords.Columns} FROM certificates {Filter} ORDER BY issued_at DESC, licence_number LIMIT @Limit";

    public const string SearchSqlSqlite = SearchSqlPostgres;

    public async Task<SearchLicencesResponse> HandleAsync(SearchLicencesRequest request, Officer officer, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var query = request.Query.Trim();
        if (query.Length > 100)
        {
            errors.Add("query", "查询内容不能超过 100 个字");
        }

        var status = request.Status.Trim().ToUpperInvariant() switch
        {
            "" => "",
            "VALID" => CertificateStatus.Valid,
            "SUSPENDED" => CertificateStatus.Suspended,
            "REVOKED" => CertificateStatus.Revoked,
            _ => null,
        };
        if (status is null)
        {
            errors.Add("status", "状态应为 VALID、SUSPENDED 或 REVOKED");
        }

        if (request.Limit is < 0 or > MaxLimit)
        {
            errors.Add("limit", $"每页最多 {MaxLimit} 条");
        }

        errors.ThrowIfAny();
        var escaped = query.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
        var sql = database.Dialect switch
        {
            SqlDialect.SqlServer => SearchSqlSqlServer,
            SqlDialect.Sqlite => SearchSqlSqlite,
            _ => SearchSqlPostgres,
        };
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<CertificateRow>(sql, new
        {
            CountyCode = officer.CountyCode,
            Status = status,
            Query = query,
            Pattern = $"%{escaped}%",
            Limit = request.Limit == 0 ? DefaultLimit : request.Limit,
        });
        var response = new SearchLicencesResponse { CountyCode = officer.CountyCode };
        response.Licences.AddRange(rows.Select(r => r.ToMessage()));
        return response;
    }
}
