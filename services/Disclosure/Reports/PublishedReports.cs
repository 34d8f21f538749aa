using Dapper;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Permits.Contracts.Disclosure.V1;
using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Disclosure.Reports;

/// <summary>
/// Published reports: every version kept as published (rows are only ever inserted), each with the SHA-256 of its
/// stored JSON; a version whose text no longer matches its hash is reported as not intact.
/// </summary>
public sealed class PublishedReports(ServiceDatabase<DisclosureModule> database)
{
    private const string Columns = """
        county_code AS CountyCode, report_year AS ReportYear, version AS Version, document_json AS DocumentJson,
        content_hash AS ContentHash, published_at AS PublishedAt, published_by AS PublishedBy, correction_note AS CorrectionNote
        """;

    private const string ListSql = $"""
        SELECT {Columns} FROM annual_reports r
        WHERE (@CountyCode = '' OR r.county_code = @CountyCode) AND (@Year = 0 OR r.report_year = @Year)
          AND r.version = (SELECT MAX(m.version) FROM annual_reports m
                           WHERE m.county_code = r.county_code AND m.report_year = r.report_year)
        ORDER BY r.report_year DESC, r.county_code
        """;

    private const string GetSql = $"""
        SELECT {Columns} FROM annual_reports
        WHERE county_code = @CountyCode AND report_year = @Year
          AND version = (CASE WHEN @Version = 0
                              THEN (SELECT MAX(m.version) FROM annual_reports m WHERE m.county_code = @CountyCode AND m.report_year = @Year)
                              ELSE @Version END)
        """;

    private const string VersionsSql = """
        SELECT version FROM annual_reports WHERE county_code = @CountyCode AND report_year = @Year ORDER BY version
        """;

    public async Task<ListPublishedReportsResponse> ListAsync(ListPublishedReportsRequest request, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (request.CountyCode.Trim() is { Length: > 0 and not 6 })
        {
            errors.Add("county_code", "县级区划代码为 6 位数字");
        }

        if (request.Year is < 0 or > 9999)
        {
            errors.Add("year", "年度无效");
        }

        errors.ThrowIfAny();
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            ListSql, new { CountyCode = request.CountyCode.Trim(), request.Year }, cancellationToken: cancellationToken));
        var response = new ListPublishedReportsResponse();
        foreach (var row in rows)
        {
            var report = ReportJson.Read<AnnualReport>(row.DocumentJson);
            response.Reports.Add(new PublishedReportSummary
            {
                CountyCode = row.CountyCode,
                Authority = report.Authority,
                Year = row.ReportYear,
                Title = report.Title,
                Version = row.Version,
                ContentHash = row.ContentHash,
                PublishedAt = Timestamp.FromDateTimeOffset(row.PublishedAt),
            });
        }

        return response;
    }

    /// <summary>The version asked for (0 = latest); NOT_FOUND when there is none.</summary>
    public async Task<PublishedReport> GetAsync(GetPublishedReportRequest request, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (request.CountyCode.Trim().Length != 6)
        {
            errors.Add("county_code", "县级区划代码为 6 位数字");
        }

        if (request.Version < 0)
        {
            errors.Add("version", "版本号不能为负数");
        }

        errors.ThrowIfAny();
        return await FindAsync(request.CountyCode.Trim(), request.Year, request.Version, cancellationToken)
            ?? throw new RpcException(new Status(StatusCode.NotFound, request.Version == 0
                ? $"{request.CountyCode.Trim()} 尚未发布 {request.Year} 年度报告"
                : $"{request.CountyCode.Trim()} 的 {request.Year} 年度报告没有第 {request.Version} 版"));
    }

    public Task<PublishedReport?> LatestAsync(string countyCode, int year, CancellationToken cancellationToken) =>
        FindAsync(countyCode, year, 0, cancellationToken);

    /// <summary>The carry-over check against the latest published version of the year before (if any).</summary>
    public async Task<List<CheckFailure>> CarryOverAsync(AnnualReport report, CancellationToken cancellationToken)
    {
        var previous = await LatestAsync(report.CountyCode, report.Year - 1, cancellationToken);
        var failures = ReportChecks.CarriedOver(report, previous);
        if (previous is { Intact: false })
        {
            failures.Add(new CheckFailure
            {
                Rule = ReportChecks.Integrity,
                Row = $"{report.Year - 1} 年度报告第 {previous.Version} 版",
                Column = "内容哈希",
                Message = $"完整性不符：{report.Year - 1} 年度已发布报告（第 {previous.Version} 版）的存储内容与其哈希不一致，无法据以核对上年结转。",
            });
        }

        return failures;
    }

    private async Task<PublishedReport?> FindAsync(string countyCode, int year, int version, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var parameters = new { CountyCode = countyCode, Year = year, Version = version };
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(GetSql, parameters, cancellationToken: cancellationToken));
        if (row is null)
        {
            return null;
        }

        var versions = await connection.QueryAsync<int>(new CommandDefinition(VersionsSql, parameters, cancellationToken: cancellationToken));
        var published = new PublishedReport
        {
            Report = ReportJson.Read<AnnualReport>(row.DocumentJson),
            Version = row.Version,
            ContentHash = row.ContentHash,
            PublishedAt = Timestamp.FromDateTimeOffset(row.PublishedAt),
            PublishedBy = row.PublishedBy,
            CorrectionNote = row.CorrectionNote,
            Intact = string.Equals(ReportJson.Hash(row.DocumentJson), row.ContentHash, StringComparison.Ordinal),
        };
        published.Versions.AddRange(versions);
        return published;
    }

    private sealed class Row
    {
        public string CountyCode { get; init; } = "";
        public int ReportYear { get; init; }
        public int Version { get; init; }
        public string DocumentJson { get; init; } = "";
        public string ContentHash { get; init; } = "";
        public DateTimeOffset PublishedAt { get; init; }
        public string PublishedBy { get; init; } = "";
        public string CorrectionNote { get; init; } = "";
    }
}
