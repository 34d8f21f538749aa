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

/// <summary>One county's 合理布局 rules and the places they are checked against: data, not code.</summary>
public sealed record CountyLayout(
    string County,
    double MinDistanceToOutletMeters,
    double MinDistanceToSchoolMeters,
    double QuotaRadiusMeters,
    int QuotaMaxOutlets,
    IReadOnlyList<LicensedOutlet> Outlets,
    IReadOnlyList<School> Schools);

public sealed record Nearby(string Name, string Kind, double Meters);

/// <param name="Violations">Why the site fails, in the officer's words; empty when every rule passes.</param>
public sealed record LayoutResult(
    bool RulesKnown,
    IReadOnlyList<Nearby> NearestOutlets,
    IReadOnlyList<Nearby> NearestSchools,
    int OutletsWithinQuotaRadius,
    IReadOnlyList<string> Violations,
    CountyLayout? Rules)
{
    public bool Passes => RulesKnown && Violations.Count == 0;
}

/// <summary>Checks a site against its county's layout rules (layout.json).</summary>
public sealed class LayoutRules(IEnumerable<CountyLayout> counties)
{
    private readonly Dictionary<string, CountyLayout> _byCounty = counties.ToDictionary(c => c.County);

    public LayoutResult Check(string countyCode, GeoPoint site, int nearest = 3)
    {
        if (!_byCounty.TryGetValue(countyCode, out var rules))
        {
            return new LayoutResult(false, [], [], 0, ["本县尚未配置合理布局规则，请人工判断"], null);
        }

        var outlets = rules.Outlets
            .Select(o => new Nearby(o.Name, "outlet", site.DistanceTo(o.Point)))
            .OrderBy(n => n.Meters)
            .ToList();
        var schools = rules.Schools
            .Select(s => new Nearby(s.Name, s.Kind, site.DistanceTo(s.Point)))
            .OrderBy(n => n.Meters)
            .ToList();
        var violations = new List<string>();
        violations.AddRange(outlets
            .Where(o => o.Meters < rules.MinDistanceToOutletMeters)
            .Select(o => $"距已持证零售户“{o.Name}”{o.Meters:0} 米，少于规定的 {rules.MinDistanceToOutletMeters:0} 米"));
        violations.AddRange(schools
            .Where(s => s.Meters < rules.MinDistanceToSchoolMeters)
            .Select(s => $"距{(s.Kind == "kindergarten" ? "幼儿园" : "学校")}“{s.Name}”{s.Meters:0} 米，少于规定的 {rules.MinDistanceToSchoolMeters:0} 米"));
        var withinQuota = outlets.Count(o => o.Meters <= rules.QuotaRadiusMeters);
        if (withinQuota >= rules.QuotaMaxOutlets)
        {
            violations.Add($"{rules.QuotaRadiusMeters:0} 米范围内已有 {withinQuota} 家零售户，达到上限 {rules.QuotaMaxOutlets} 家");
        }

        return new LayoutResult(true, outlets.Take(nearest).ToList(), schools.Take(nearest).ToList(), withinQuota, violations, rules);
    }

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
