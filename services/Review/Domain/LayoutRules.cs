using System.Text.Json;

namespace Permits.Review.Domain;

/// <summary>A place with coordinates (WGS-84 degrees).</summary>
public sealed record GeoPoint(double Latitude, double Longitude)
{
    private const double EarthRadiusMeters = 6_371_008.8;

    public bool IsValid => Latitude is >= -90 and <= 90 && Longitude is >= -180 and <= 180
        && !double.IsNaN(Latitude) && !double.IsNaN(Longitude);

    /// <summary>Great-circle (haversine) distance in metres.</summary>
    public double DistanceTo(GeoPoint other)
    {
        static double Radians(double degrees) => degrees * Math.PI / 180;
        var dLat = Radians(other.Latitude - Latitude);
        var dLon = Radians(other.Longitude - Longitude);
        var a = Math.Pow(Math.Sin(dLat / 2), 2)
            + Math.Cos(Radians(Latitude)) * Math.Cos(Radians(other.Latitude)) * Math.Pow(Math.Sin(dLon / 2), 2);
        return 2 * EarthRadiusMeters * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }
}

public sealed record LicensedOutlet(string Name, string LicenceNumber, double Latitude, double Longitude)
{
    public GeoPoint Point => new(Latitude, Longitude);
}

/// <param name="Kind">school or kindergarten.</param>
public sealed record School(string Name, string Kind, double Latitude, double Longitude)
{
    public GeoPoint Point => new(Latitude, Longitude);
}

/// <summary>
/// One county's 合理布局 rules and its schools: data, not code. The licensed outlets are not here: they are the
/// county's real licences (Review's copy of Certificate's, <c>review_outlets</c>), given to <see cref="LayoutRules.Check"/>.
/// </summary>
/// <param name="GridCellMeters">The side of a 网格 cell (DOMAIN.md: quotas per grid cell per quarter).</param>
/// <param name="QuotaPerCellPerQuarter">New licences a cell may receive in one quarter.</param>
public sealed record CountyLayout(
    string County,
    double MinDistanceToOutletMeters,
    double MinDistanceToSchoolMeters,
    double QuotaRadiusMeters,
    int QuotaMaxOutlets,
    double GridCellMeters,
    int QuotaPerCellPerQuarter,
    IReadOnlyList<School> Schools);

public sealed record Nearby(string Name, string Kind, double Meters);

/// <summary>
/// A site's 网格 cell and its quota in the current quarter: how many new licences the cell had approved in the period,
/// and how many undecided 新办 cases of the cell were accepted before this one (a short quota goes in acceptance order).
/// </summary>
public sealed record GridUsage(string Cell, string Period, int Quota, int ApprovedInPeriod, int AheadInQueue)
{
    public bool Full => ApprovedInPeriod + AheadInQueue >= Quota;
}

/// <param name="Violations">Why the site fails, in the officer's words; empty when every rule passes.</param>
public sealed record LayoutResult(
    bool RulesKnown,
    IReadOnlyList<Nearby> NearestOutlets,
    IReadOnlyList<Nearby> NearestSchools,
    int OutletsWithinQuotaRadius,
    IReadOnlyList<string> Violations,
    CountyLayout? Rules,
    GridUsage? Grid = null)
{
    public bool Passes => RulesKnown && Violations.Count == 0;
}

/// <summary>Checks a site against its county's layout rules (layout.json), its licensed outlets and its grid quota.</summary>
public sealed class LayoutRules(IEnumerable<CountyLayout> counties)
{
    private const double MetersPerDegreeLatitude = 111_320;

    private readonly Dictionary<string, CountyLayout> _byCounty = counties.ToDictionary(c => c.County);

    public CountyLayout? For(string countyCode) => _byCounty.GetValueOrDefault(countyCode);

    /// <param name="outlets">The county's licensed outlets near the site (those farther than every rule may be left out).</param>
    /// <param name="grid">The site's cell and its quota use; null to leave the quota out (a preview without a case).</param>
    public LayoutResult Check(string countyCode, GeoPoint site, IEnumerable<LicensedOutlet> outlets, GridUsage? grid = null, int nearest = 3) =>
        Check(For(countyCode), site, outlets, grid, nearest);

    /// <summary>The check against given rules (the county's in force, see CountyReviewSettings); null rules: not known.</summary>
    public static LayoutResult Check(CountyLayout? rules, GeoPoint site, IEnumerable<LicensedOutlet> outlets, GridUsage? grid = null, int nearest = 3)
    {
        if (rules is null)
        {
            return new LayoutResult(false, [], [], 0, ["本县尚未配置合理布局规则，请人工判断"], null);
        }

        var byDistance = outlets
            .Select(o => new Nearby(o.Name, "outlet", site.DistanceTo(o.Point)))
            .OrderBy(n => n.Meters)
            .ToList();
        var schools = rules.Schools
            .Select(s => new Nearby(s.Name, s.Kind, site.DistanceTo(s.Point)))
            .OrderBy(n => n.Meters)
            .ToList();
        var violations = new List<string>();
        violations.AddRange(byDistance
            .Where(o => o.Meters < rules.MinDistanceToOutletMeters)
            .Select(o => $"距已持证零售户“{o.Name}”{o.Meters:0} 米，少于规定的 {rules.MinDistanceToOutletMeters:0} 米"));
        violations.AddRange(schools
            .Where(s => s.Meters < rules.MinDistanceToSchoolMeters)
            .Select(s => $"距{(s.Kind == "kindergarten" ? "幼儿园" : "学校")}“{s.Name}”{s.Meters:0} 米，少于规定的 {rules.MinDistanceToSchoolMeters:0} 米"));
        var withinQuota = byDistance.Count(o => o.Meters <= rules.QuotaRadiusMeters);
        if (withinQuota >= rules.QuotaMaxOutlets)
        {
            violations.Add($"{rules.QuotaRadiusMeters:0} 米范围内已有 {withinQuota} 家零售户，达到上限 {rules.QuotaMaxOutlets} 家");
        }

        if (grid is { Full: true })
        {
            violations.Add(grid.AheadInQueue > 0
                ? $"所在网格（{grid.Cell}）{grid.Period} 新办名额 {grid.Quota} 个，已准予 {grid.ApprovedInPeriod} 个，另有 {grid.AheadInQueue} 件先受理的申请待决，名额不足"
                : $"所在网格（{grid.Cell}）{grid.Period} 新办名额 {grid.Quota} 个，已准予 {grid.ApprovedInPeriod} 个，名额已满");
        }

        return new LayoutResult(true, byDistance.Take(nearest).ToList(), schools.Take(nearest).ToList(), withinQuota, violations, rules, grid);
    }

    /// <summary>
    /// The 网格 cell of a site: square cells of the county's size, rows by latitude and columns by longitude scaled at
    /// the row's middle, so a cell's name does not depend on where in it the site lies.
    /// </summary>
    public static string CellOf(CountyLayout rules, GeoPoint site)
    {
        var degreesLatitude = rules.GridCellMeters / MetersPerDegreeLatitude;
        var row = (long)Math.Floor(site.Latitude / degreesLatitude);
        var middle = (row + 0.5) * degreesLatitude * Math.PI / 180;
        var degreesLongitude = rules.GridCellMeters / (MetersPerDegreeLatitude * Math.Cos(middle));
        var column = (long)Math.Floor(site.Longitude / degreesLongitude);
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{row}-{column}");
    }

    /// <summary>The quota period of a day (China time): its quarter, 2027Q1, from its first day to the next quarter's.</summary>
    public static (string Name, DateOnly From, DateOnly To) QuarterOf(DateOnly day)
    {
        var first = new DateOnly(day.Year, ((day.Month - 1) / 3 * 3) + 1, 1);
        return (string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{day.Year}Q{((day.Month - 1) / 3) + 1}"), first, first.AddMonths(3));
    }

    /// <summary>How far an outlet can be and still matter to a rule (the nearest ones are listed within it too).</summary>
    public static double ReachMeters(CountyLayout rules) =>
        Math.Max(1000, Math.Max(rules.QuotaRadiusMeters, rules.MinDistanceToOutletMeters));

    public static LayoutRules LoadEmbedded()
    {
        using var stream = typeof(LayoutRules).Assembly.GetManifestResourceStream("layout.json")
            ?? throw new InvalidOperationException("The layout rules resource is missing.");
        return Load(stream);
    }

    public static LayoutRules Load(Stream json)
    {
        using var document = JsonDocument.Parse(json);
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var counties = document.RootElement.GetProperty("counties").Deserialize<List<CountyLayout>>(options) ?? [];
        return new LayoutRules(counties);
    }
}
