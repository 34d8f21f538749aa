using System.Data.Common;
using Dapper;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Permits.Contracts.Licensing;
using Permits.Contracts.Review.V1;
using Permits.Review.Domain;
using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Review.Features;

/// <summary>
/// 合理布局 of a site with everything it is checked against: the county's rules in force and schools (<see cref="CountyReviewSettings"/>),
/// its real licensed outlets (<c>review_outlets</c>, fed by Certificate's events) and, for a case, its 网格 quota this
/// quarter — new licences approved in the cell plus the cell's undecided 新办 cases accepted earlier. A check recorded
/// on a case (with the inspection, again at approval) keeps every number.
/// </summary>
public sealed class SiteLayout(CountyReviewSettings settings, TimeProvider time)
{
    private const string OutletsSql = """
        SELECT name AS Name, licence_number AS LicenceNumber, latitude AS Latitude, longitude AS Longitude
        FROM review_outlets
        WHERE county_code = @County AND latitude BETWEEN @South AND @North AND longitude BETWEEN @West AND @East
        """;

    private const string ApprovedInCellSql = """
        SELECT COUNT(*) FROM review_cases
        WHERE county_code = @County AND grid_cell = @Cell AND request_type = @New AND stage = @Approved
          AND decided_at >= @From AND decided_at < @To AND id <> @CaseId
        """;

    private const string AheadInCellSql = """
        SELECT COUNT(*) FROM review_cases
        WHERE county_code = @County AND grid_cell = @Cell AND request_type = @New AND stage IN (@UnderReview, @AwaitingCorrection)
          AND id <> @CaseId AND accepted_at < @AcceptedAt
        """;

    private const string RecordSql = """
        INSERT INTO review_layout_checks (id, case_id, checked_at, latitude, longitude, passes, grid_cell, quota_period, result)
        VALUES (@Id, @CaseId, @CheckedAt, @Latitude, @Longitude, @Passes, @GridCell, @QuotaPeriod, @Result)
        """;

    private const string GridCellSql = "UPDATE review_cases SET grid_cell = @Cell WHERE id = @Id";

    private const string LatestSql = """
        SELECT result AS Result, checked_at AS CheckedAt FROM review_layout_checks WHERE case_id = @CaseId ORDER BY checked_at DESC
        """;

    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    /// <summary>Whether a decision on this request type is gated by the layout: 新办 only (a new outlet).</summary>
    public static bool Gates(string requestType) => requestType == RequestTypes.New;

    /// <summary>
    /// The check of <paramref name="site"/> for <paramref name="row"/> (with its cell's quota), or a preview without a
    /// case (no quota). Not recorded.
    /// </summary>
    public async Task<LayoutCheck> CheckAsync(
        DbConnection connection, DbTransaction? transaction, string county, GeoPoint site, CaseRow? row)
    {
        var countyRules = await settings.LayoutAsync(connection, transaction, county);
        var outlets = new List<LicensedOutlet>();
        GridUsage? grid = null;
        if (countyRules is not null)
        {
            var reach = LayoutRules.ReachMeters(countyRules);
            var dLat = reach / 111_320;
            var dLon = reach / (111_320 * Math.Max(0.01, Math.Cos(site.Latitude * Math.PI / 180)));
            outlets.AddRange(await connection.QueryAsync<LicensedOutlet>(new CommandDefinition(OutletsSql, new
            {
                County = county,
                South = site.Latitude - dLat,
                North = site.Latitude + dLat,
                West = site.Longitude - dLon,
                East = site.Longitude + dLon,
            }, transaction)));
            if (row is not null)
            {
                grid = await GridAsync(connection, transaction, countyRules, site, row);
            }
        }

        var result = LayoutRules.Check(countyRules, site, outlets, grid);
        var reply = new LayoutCheck
        {
            RulesKnown = result.RulesKnown,
            Passes = result.Passes,
            OutletsWithinQuotaRadius = result.OutletsWithinQuotaRadius,
            MinDistanceToOutletMeters = result.Rules?.MinDistanceToOutletMeters ?? 0,
            MinDistanceToSchoolMeters = result.Rules?.MinDistanceToSchoolMeters ?? 0,
            QuotaRadiusMeters = result.Rules?.QuotaRadiusMeters ?? 0,
            QuotaMaxOutlets = result.Rules?.QuotaMaxOutlets ?? 0,
            Latitude = site.Latitude,
            Longitude = site.Longitude,
            GridCell = grid?.Cell ?? "",
            QuotaPeriod = grid?.Period ?? "",
            GridQuota = grid?.Quota ?? 0,
            GridApprovedInPeriod = grid?.ApprovedInPeriod ?? 0,
            GridAheadInQueue = grid?.AheadInQueue ?? 0,
        };
        reply.NearestOutlets.AddRange(result.NearestOutlets.Select(ToMessage));
        reply.NearestSchools.AddRange(result.NearestSchools.Select(ToMessage));
        reply.Violations.AddRange(result.Violations);
        return reply;
    }

    /// <summary>Checks the case's site and records the check on the case (and the case's grid cell), in the step's transaction.</summary>
    public async Task<LayoutCheck> RecordAsync(DbSession session, CaseRow row, GeoPoint site) =>
        await RecordAsync(session, row, await CheckAsync(session.Connection, session.Transaction, row.CountyCode, site, row));

    /// <summary>Records <paramref name="check"/>, just run on the case's site in the step's transaction, without running it again.</summary>
    public async Task<LayoutCheck> RecordAsync(DbSession session, CaseRow row, LayoutCheck check)
    {
        var site = new GeoPoint(check.Latitude, check.Longitude);
        var now = time.GetUtcNow();
        check.CheckedAt = Timestamp.FromDateTimeOffset(now);
        await session.ExecuteAsync(RecordSql, new
        {
            Id = Guid.NewGuid(),
            CaseId = row.Id,
            CheckedAt = now,
            site.Latitude,
            site.Longitude,
            Passes = check.Passes ? 1 : 0,
            check.GridCell,
            check.QuotaPeriod,
            Result = Formatter.Format(check),
        });
        if (check.GridCell.Length > 0 && check.GridCell != row.GridCell)
        {
            await session.ExecuteAsync(GridCellSql, new { Id = row.Id, Cell = check.GridCell });
        }

        return check;
    }

    /// <summary>The check last recorded on a case, or null.</summary>
    public static async Task<LayoutCheck?> LatestAsync(DbConnection connection, Guid caseId)
    {
        var stored = (await connection.QueryAsync<StoredCheck>(LatestSql, new { CaseId = caseId })).FirstOrDefault();
        if (stored is null)
        {
            return null;
        }

        var check = JsonParser.Default.Parse<LayoutCheck>(stored.Result);
        check.CheckedAt = Timestamp.FromDateTimeOffset(stored.CheckedAt);
        return check;
    }

    private async Task<GridUsage> GridAsync(DbConnection connection, DbTransaction? transaction, CountyLayout countyRules, GeoPoint site, CaseRow row)
    {
        var cell = LayoutRules.CellOf(countyRules, site);
        var (period, from, to) = LayoutRules.QuarterOf(time.Today());
        var parameters = new
        {
            County = row.CountyCode,
            Cell = cell,
            New = RequestTypes.New,
            CaseId = row.Id,
            Approved = CaseStage.Approved,
            From = ChinaTime.StartOf(from),
            To = ChinaTime.StartOf(to),
            UnderReview = CaseStage.UnderReview,
            AwaitingCorrection = CaseStage.AwaitingCorrection,
            AcceptedAt = row.AcceptedAt ?? time.GetUtcNow(),
        };
        var approved = await connection.ExecuteScalarAsync<long>(new CommandDefinition(ApprovedInCellSql, parameters, transaction));
        var ahead = await connection.ExecuteScalarAsync<long>(new CommandDefinition(AheadInCellSql, parameters, transaction));
        return new GridUsage(cell, period, countyRules.QuotaPerCellPerQuarter, (int)approved, (int)ahead);
    }

    private static NearbyPlace ToMessage(Nearby n) => new() { Name = n.Name, Kind = n.Kind, Meters = Math.Round(n.Meters, 1) };

    private sealed class StoredCheck
    {
        public string Result { get; init; } = "";
        public DateTimeOffset CheckedAt { get; init; }
    }
}
