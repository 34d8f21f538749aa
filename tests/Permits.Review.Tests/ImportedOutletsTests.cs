using Permits.Contracts.Certificate;
using Permits.Contracts.Review.V1;
using Permits.Shared.Domain;

namespace Permits.Review.Tests;

/// <summary>
/// A county imports its existing licences (Certificate's LicencesImported): those in force with coordinates become
/// outlets the 合理布局 check measures against, like licences issued here; closed ones and ones without a place do not.
/// </summary>
public sealed class When_a_county_imports_its_existing_licences : IAsyncLifetime
{
    private ReviewHost _host = null!;

    public async Task InitializeAsync() => _host = await ReviewHost.StartAsync("PostgreSql", ManualTime.AtChinaTime(2026, 11, 2));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private ImportedLicence Licence(string number, string status, double? latitude, double? longitude) => new(
        DeterministicGuid.Create(number, "imported"), number, "IndividualBusiness", $"导入便利店{number[^3..]}", "浙江省嘉兴市海盐县武原街道",
        _host.Time.ChinaToday.AddYears(-1), _host.Time.ChinaToday.AddYears(4), status, longitude, latitude);

    [Fact]
    public async Task Should_count_the_imported_outlets_in_force_in_the_layout_check()
    {
        var imported = new LicencesImported(Guid.NewGuid(), 1, Officers.Haiyan,
        [
            Licence("330424100901", "Valid", 30.4500, 120.8500),
            Licence("330424100902", "Suspended", 30.4600, 120.8600),
            Licence("330424100903", "Revoked", 30.4700, 120.8700),
            Licence("330424100904", "Valid", null, null),
        ], _host.Time.GetUtcNow());
        await _host.PublishAsync(imported);
        await _host.PublishAsync(imported with { Batch = 2 });
        await _host.WaitUntilAsync(async () => await _host.CountAsync("SELECT COUNT(*) FROM review_outlets") == 2, "the imported outlets to arrive");

        var opened = await _host.SubmitAsync();
        await _host.Client.AcceptAsync(Officers.Act(opened.CaseId, "clerk"));
        var near = await _host.Client.CheckLayoutAsync(new CheckLayoutRequest
        {
            Action = Officers.Act(opened.CaseId, "reviewer"), Latitude = 30.4501, Longitude = 120.8500,
        });

        Assert.False(near.Passes);
        Assert.Equal("导入便利店901", near.NearestOutlets[0].Name);
        Assert.Contains(near.Violations, v => v.Contains("已持证零售户"));
        Assert.Equal(["330424100901", "330424100902"], await _host.QueryAsync<string>("SELECT licence_number FROM review_outlets ORDER BY licence_number"));
    }
}
