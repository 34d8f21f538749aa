using System.Data.Common;
using Dapper;
using Permits.Contracts.Review.V1;
using Permits.Review.Domain;
using Permits.Shared.Domain;

namespace Permits.Review.Features;

/// <param name="Missing">Steps not yet recorded: no head may decide past them.</param>
/// <param name="Overridable">The layout check fails or the premises were found non-compliant: the head may approve past
/// these only with written reasons.</param>
/// <param name="Layout">The layout check run now (新办 with a located inspection), or null.</param>
/// <param name="Site">Where the inspectors located the premises, or null.</param>
public sealed record GateVerdict(IReadOnlyList<string> Missing, IReadOnlyList<string> Overridable, LayoutCheck? Layout, GeoPoint? Site)
{
    public IEnumerable<string> Blockers => Missing.Concat(Overridable);

    public bool OnlyOverridable => Missing.Count == 0 && Overridable.Count > 0;
}

/// <summary>
/// What stands between a case and 准予行政许可: the steps its request type needs (<see cref="ReviewRequirements"/>), the
/// inspectors' finding on the premises, and — for 新办 — the 合理布局 check of the located site run again now (the
/// outlets and the grid quota change while a case waits). The head sees the same list (GetCaseFile) that Approve
/// enforces. A lease that has already ended by the day of the decision refuses it outright: the licence would end
/// (at the lease's end) before it starts.
/// </summary>
public sealed class DecisionGate(SiteLayout layout, TimeProvider time)
{
    private const string InspectionSql = """
        SELECT premises_compliant AS Compliant, latitude AS Latitude, longitude AS Longitude
        FROM review_inspections WHERE case_id = @CaseId ORDER BY recorded_at DESC
        """;

    public async Task<GateVerdict> EvaluateAsync(DbConnection connection, DbTransaction? transaction, CaseRow row)
    {
        var missing = ReviewRequirements.Missing(row).Select(m => $"尚缺{m}").ToList();
        if (LeaseEnded(row, time.Today()) is { } ended)
        {
            missing.Add(ended);
        }

        var overridable = new List<string>();
        var inspection = (await connection.QueryAsync<InspectionFacts>(
            new CommandDefinition(InspectionSql, new { CaseId = row.Id }, transaction))).FirstOrDefault();
        if (inspection is null)
        {
            return new GateVerdict(missing, overridable, null, null);
        }

        if (inspection.Compliant == 0)
        {
            overridable.Add("实地核查认定经营场所不符合条件");
        }

        if (!SiteLayout.Gates(row.RequestType))
        {
            return new GateVerdict(missing, overridable, null, null);
        }

        if (inspection.Latitude is not { } latitude || inspection.Longitude is not { } longitude)
        {
            overridable.Add("实地核查未记录经营场所经纬度，无法进行合理布局核查");
            return new GateVerdict(missing, overridable, null, null);
        }

        var site = new GeoPoint(latitude, longitude);
        var check = await layout.CheckAsync(connection, transaction, row.CountyCode, site, row);
        overridable.AddRange(check.Violations.Select(v => $"合理布局：{v}"));
        return new GateVerdict(missing, overridable, check, site);
    }

    /// <summary>
    /// Why a case whose lease ended before the day of approval cannot produce a licence (its end would precede its
    /// start), or null. Only leased premises carry a lease end.
    /// </summary>
    public static string? LeaseEnded(CaseRow row, DateOnly decisionDay) =>
        row.LeaseEndDate is { } end && end < decisionDay
            ? $"经营场所租赁期限已于 {ChinaTime.Text(end)} 届满，早于准予许可之日，许可证的有效期不能早于其起始日。请申请人提交续租后的场所使用证明（补正），或作出不予许可决定"
            : null;

    private sealed class InspectionFacts
    {
        public long Compliant { get; init; }
        public double? Latitude { get; init; }
        public double? Longitude { get; init; }
    }
}
