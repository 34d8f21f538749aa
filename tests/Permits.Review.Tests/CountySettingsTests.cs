using Grpc.Core;
using Permits.Contracts.Review.V1;
using Permits.Shared.Security;
using Permits.Testing;

namespace Permits.Review.Tests;

/// <summary>
/// A county's 系统管理员 changes its 合理布局 rules and 承诺时限 without a redeploy: stored in Review's database and read
/// on every use, so the next request of any replica uses them; bad values and other counties' callers change nothing;
/// every change and refusal is in the officer audit.
/// </summary>
public sealed class When_a_county_changes_its_review_settings : IAsyncLifetime
{
    private const string Jiashan = "330421";

    /// <summary>~67 m north of the demo school 海盐县实验小学 (30.52702, 120.94412): passes a 50 m rule, fails a 100 m one.</summary>
    private const double SiteLatitude = 30.52762;
    private const double SiteLongitude = 120.94412;

    private ReviewHost _first = null!;
    private ReviewHost _second = null!;

    public async Task InitializeAsync()
    {
        var database = await ReviewHost.NewDatabaseAsync("PostgreSql");
        var time = ManualTime.AtChinaTime(2026, 11, 2);
        _first = await ReviewHost.StartAsync("PostgreSql", time, database);
        _second = await ReviewHost.StartAsync("PostgreSql", time, database);
    }

    public async Task DisposeAsync()
    {
        await _second.DisposeAsync();
        await _first.DisposeAsync();
    }

    private static Metadata Admin(string county = Officers.Haiyan) =>
        OfficerTokens.Headers(OfficerTokens.For("admin-" + county, PermitsRoles.SystemAdmin, county, "管理员"));

    private async Task<ReviewSettings> ChangeAsync(ReviewHost host, Action<ReviewSettings> change, Metadata? who = null)
    {
        var current = await host.Unsigned.GetReviewSettingsAsync(new GetReviewSettingsRequest(), Admin());
        change(current);
        return await host.Unsigned.UpdateReviewSettingsAsync(new UpdateReviewSettingsRequest { Settings = current }, who ?? Admin());
    }

    [Fact]
    public async Task Should_show_the_new_promised_limit_in_the_guide_and_the_directory_s_hall_while_delivery_is_away()
    {
        await using var portal = await PortalUnderTest.StartAsync(new Dictionary<string, string> { ["Review"] = _first.GrpcUrl });
        using var browser = portal.Anonymous();
        await ChangeAsync(_first, s => s.PromisedDecisionDays = 8);
        var limits = await _second.Unsigned.GetPromisedLimitsAsync(new GetPromisedLimitsRequest { CountyCode = Officers.Haiyan });

        var guide = PortalForms.Text(await browser.GetStringAsync($"/guide/Change?county={Officers.Haiyan}"));

        Assert.All(limits.Limits, l => Assert.Equal((20, 8), (l.LegalDecisionDays, l.PromisedDecisionDays)));
        Assert.Equal(Permits.Contracts.Licensing.RequestTypes.All.Count, limits.Limits.Count);
        Assert.Contains("承诺时限 自受理之日起 8 个工作日", guide);
        Assert.Contains("法定时限 自受理之日起 20 个工作日", guide);
        // Delivery is not reachable: the county directory's hall stands in, and the page says nothing of it.
        Assert.Contains("海盐县武原街道政务服务中心一楼烟草窗口", guide);
        Assert.Contains("0573-86012345", guide);
    }

    [Fact]
    public async Task Should_check_the_layout_of_the_other_replica_against_the_new_distance_on_the_next_request()
    {
        var opened = await _first.SubmitAsync();
        var check = new CheckLayoutRequest { Action = Officers.Act(opened.CaseId, "reviewer"), Latitude = SiteLatitude, Longitude = SiteLongitude };
        Assert.DoesNotContain((await _second.Client.CheckLayoutAsync(check)).Violations, v => v.Contains("学校"));

        await ChangeAsync(_first, s => s.MinDistanceToSchoolMeters = 100);

        var after = await _second.Client.CheckLayoutAsync(check);
        Assert.Equal(100, after.MinDistanceToSchoolMeters);
        Assert.Contains(after.Violations, v => v.Contains("海盐县实验小学") && v.Contains("100 米"));
    }

    [Fact]
    public async Task Should_promise_the_new_days_to_a_case_accepted_after_the_change()
    {
        var before = await _first.SubmitAsync();
        Assert.Equal("2026-11-23", (await _first.Client.AcceptAsync(Officers.Act(before.CaseId, "clerk"))).PromisedDueBy);

        var changed = await ChangeAsync(_first, s => s.PromisedDecisionDays = 10);

        Assert.Equal(1, changed.Version);
        var after = await _second.SubmitAsync();
        var accepted = await _second.Client.AcceptAsync(Officers.Act(after.CaseId, "clerk"));
        Assert.Equal("2026-11-16", accepted.PromisedDueBy);
        Assert.Equal("2026-11-30", accepted.DueBy);
    }

    [Fact]
    public async Task Should_refuse_bad_values_naming_each_field_and_change_nothing()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => ChangeAsync(_first, s =>
        {
            s.PromisedDecisionDays = 21;
            s.MinDistanceToOutletMeters = -5;
            s.QuotaMaxOutlets = 0;
        }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var violations = error.GetRpcStatus()!.GetDetail<Google.Rpc.BadRequest>()!.FieldViolations;
        Assert.Equal(
            ["settings.min_distance_to_outlet_meters", "settings.quota_max_outlets", "settings.promised_decision_days"],
            violations.Select(v => v.Field));
        Assert.Contains("不得超过法定审批期限 20 个工作日", violations.Last().Description);
        var unchanged = await _first.Unsigned.GetReviewSettingsAsync(new GetReviewSettingsRequest(), Admin());
        Assert.Equal((0, 15, 30.0), (unchanged.Version, unchanged.PromisedDecisionDays, unchanged.MinDistanceToOutletMeters));
        Assert.Equal(0, await _first.CountAsync("SELECT COUNT(*) FROM county_settings"));
    }

    [Fact]
    public async Task Should_refuse_another_county_s_administrator_and_the_county_s_officers_and_audit_both()
    {
        var otherAdmin = await Assert.ThrowsAsync<RpcException>(() => ChangeAsync(_first, s => s.PromisedDecisionDays = 3, Admin(Jiashan)));
        var head = OfficerTokens.Headers(OfficerTokens.For("head-" + Officers.Haiyan, "head", Officers.Haiyan));
        var headReads = await Assert.ThrowsAsync<RpcException>(async () =>
            await _first.Unsigned.GetReviewSettingsAsync(new GetReviewSettingsRequest { CountyCode = Officers.Haiyan }, head));

        Assert.Equal(StatusCode.PermissionDenied, otherAdmin.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, headReads.StatusCode);
        Assert.Equal(0, await _first.CountAsync("SELECT COUNT(*) FROM county_settings"));
        Assert.Equal(2, await _first.CountAsync(
            "SELECT COUNT(*) FROM officer_audit WHERE subject_id = 'review/330424' AND action = 'ChangeSettings' AND outcome = 'refused'"));
    }

    [Fact]
    public async Task Should_record_who_changed_what_and_when_in_the_trail()
    {
        _first.Time.Advance(TimeSpan.FromHours(1));
        await ChangeAsync(_first, s =>
        {
            s.PromisedDecisionDays = 12;
            s.QuotaPerCellPerQuarter = 5;
        });
        var stale = await Assert.ThrowsAsync<RpcException>(() => _first.Unsigned.UpdateReviewSettingsAsync(
            new UpdateReviewSettingsRequest { Settings = new ReviewSettings { Version = 0, MinDistanceToOutletMeters = 30, MinDistanceToSchoolMeters = 50,
                QuotaRadiusMeters = 300, QuotaMaxOutlets = 6, GridCellMeters = 500, QuotaPerCellPerQuarter = 3 } }, Admin()).ResponseAsync);

        var read = await _second.Unsigned.GetReviewSettingsAsync(new GetReviewSettingsRequest(), Admin());
        Assert.Equal(StatusCode.Aborted, stale.StatusCode);
        Assert.Equal((1, 12, 5, "管理员（admin-330424）"), (read.Version, read.PromisedDecisionDays, read.QuotaPerCellPerQuarter, read.UpdatedBy));
        Assert.Equal(_first.Time.GetUtcNow(), read.UpdatedAt.ToDateTimeOffset());
        var line = Assert.Single(read.Trail);
        Assert.Equal(("done", "管理员（admin-330424）"), (line.Outcome, line.Officer));
        Assert.Equal("网格每季度新办名额（个）：3 → 5；承诺办结时限（工作日）：15 → 12", line.Detail);
    }
}
