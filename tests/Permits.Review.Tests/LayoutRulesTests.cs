using System.Text;
using Permits.Review.Domain;

namespace Permits.Review.Tests;

public sealed class When_checking_a_site_against_layout_rules
{
    [Fact]
    public void Should_compute_great_circle_distances()
    {
        // One degree of latitude is about 111.2 km; Hangzhou to Shanghai (city centres) about 164 km.
        Assert.InRange(new GeoPoint(30, 120).DistanceTo(new GeoPoint(31, 120)), 111_100, 111_300);
        Assert.InRange(new GeoPoint(30.2741, 120.1551).DistanceTo(new GeoPoint(31.2304, 121.4737)), 162_000, 166_000);
        Assert.Equal(0, new GeoPoint(30.5, 120.9).DistanceTo(new GeoPoint(30.5, 120.9)), 6);
    }

    [Fact]
    public void Should_read_the_rules_per_county_from_data()
    {
        var json = """
            { "counties": [ { "county": "999001", "minDistanceToOutletMeters": 100, "minDistanceToSchoolMeters": 200,
              "quotaRadiusMeters": 500, "quotaMaxOutlets": 2, "gridCellMeters": 500, "quotaPerCellPerQuarter": 2,
              "schools": [ { "name": "丙小学", "kind": "school", "latitude": 30.0015, "longitude": 120.0015 } ] } ] }
            """;
        var rules = LayoutRules.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)));

        // 0.0009° north of 甲 ≈ 100 m: just outside the outlet rule, ~170 m from the school, two outlets within 500 m.
        LicensedOutlet[] outlets = [new("甲", "999001100001", 30.0, 120.0), new("乙", "999001100002", 30.003, 120.0)];
        var result = rules.Check("999001", new GeoPoint(30.0009, 120.0), outlets);

        Assert.False(result.Passes);
        Assert.Equal(2, result.OutletsWithinQuotaRadius);
        Assert.Contains(result.Violations, v => v.Contains("丙小学"));
        Assert.Contains(result.Violations, v => v.Contains("上限"));
        Assert.DoesNotContain(result.Violations, v => v.Contains("“甲”"));
    }

    [Fact]
    public void Should_fail_a_full_grid_cell_and_name_the_cases_ahead()
    {
        var rules = LayoutRules.LoadEmbedded();
        var haiyan = rules.For("330424")!;
        var site = new GeoPoint(30.40, 120.80);

        var open = rules.Check("330424", site, [], new GridUsage(LayoutRules.CellOf(haiyan, site), "2026Q4", 2, 1, 0));
        var full = rules.Check("330424", site, [], new GridUsage(LayoutRules.CellOf(haiyan, site), "2026Q4", 2, 1, 1));

        Assert.True(open.Passes);
        Assert.False(full.Passes);
        Assert.Contains(full.Violations, v => v.Contains("先受理") && v.Contains("2026Q4"));
    }

    [Fact]
    public void Should_put_nearby_sites_in_one_cell_and_sites_a_cell_apart_in_two()
    {
        var haiyan = LayoutRules.LoadEmbedded().For("330424")!;
        var cell = LayoutRules.CellOf(haiyan, new GeoPoint(30.40001, 120.80001));

        // 500 m cells: ~11 m apart is (almost always) the same cell; 600 m north is the next row.
        Assert.Equal(cell, LayoutRules.CellOf(haiyan, new GeoPoint(30.40002, 120.80002)));
        Assert.NotEqual(cell, LayoutRules.CellOf(haiyan, new GeoPoint(30.40001 + 0.0054, 120.80001)));
        Assert.Equal(("2027Q1", new DateOnly(2027, 1, 1), new DateOnly(2027, 4, 1)), LayoutRules.QuarterOf(new DateOnly(2027, 3, 31)));
    }

    [Fact]
    public void Should_say_when_a_county_has_no_rules()
    {
        var result = LayoutRules.LoadEmbedded().Check("110101", new GeoPoint(39.9, 116.4), []);

        Assert.False(result.RulesKnown);
        Assert.False(result.Passes);
    }
}
