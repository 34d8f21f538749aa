using Dapper;
using Permits.Shared.Data;

namespace Permits.Disclosure.Reports;

/// <summary>
/// 第二十条第（五）项 行政许可 处理决定数量: the licensing decisions (准予许可 and 不予许可) the disclosure log holds for a
/// county with a decision date in the year (China time, as the log stores it). One application has one decision, so
/// applications are counted once; a correction (record-corrected) is a record of its own kind and adds nothing; a
/// decision withdrawn from publication (record-withdrawn, of it or of its correction) was published in error and is
/// not counted.
/// </summary>
public sealed class LicensingDecisions(ServiceDatabase<DisclosureModule> database)
{
    public const string CountSql = """
        SELECT COUNT(DISTINCT d.application_id) FROM disclosure_records d
        WHERE d.county_code = @CountyCode
          AND d.kind IN ('licence-approved', 'licence-denied')
          AND d.decision_date >= @FromDate AND d.decision_date <= @ToDate
          AND NOT EXISTS (
              SELECT 1 FROM disclosure_records w
              WHERE w.kind = 'record-withdrawn'
                AND (w.supersedes_record_id = d.record_id
                     OR w.supersedes_record_id IN (
                         SELECT c.record_id FROM disclosure_records c WHERE c.supersedes_record_id = d.record_id)))
        """;

    /// <summary>The record kinds counted (a test keeps them in step with the SQL).</summary>
    public static readonly IReadOnlyList<string> Kinds =
        [Permits.Contracts.Disclosure.DisclosureKinds.LicenceApproved, Permits.Contracts.Disclosure.DisclosureKinds.LicenceDenied];

    public async Task<int> CountAsync(string countyCode, int year, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(CountSql, new
        {
            CountyCode = countyCode,
            FromDate = new DateOnly(year, 1, 1),
            ToDate = new DateOnly(year, 12, 31),
        }, cancellationToken: cancellationToken));
    }
}
