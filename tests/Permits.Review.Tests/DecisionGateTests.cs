using Grpc.Core;
using Google.Rpc;
using Permits.Contracts.Certificate;
using Permits.Contracts.Review.V1;
using Permits.Shared.Domain;
using MeasuredDistance = Permits.Contracts.Review.V1.MeasuredDistance;

namespace Permits.Review.Tests;

/// <summary>
/// Layout and compliance gate 准予行政许可: the check recorded with the inspection and run again at approval, the head's
/// override with reasons, the 网格 quota in acceptance order, and the county's real outlets from Certificate's events.
/// </summary>
public abstract class When_layout_and_compliance_gate_the_decision(string provider) : IAsyncLifetime
{
    // 海盐县实验小学 (layout.json) and a point ≈ 15 m from it.
    private const double NearSchoolLatitude = 30.52715;
    private const double NearSchoolLongitude = 120.94412;

    private ReviewHost _host = null!;

    public async Task InitializeAsync() => _host = await ReviewHost.StartAsync(provider, ManualTime.AtChinaTime(2026, 11, 2));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<Case> InspectAsync(string caseId, double latitude, double longitude, bool compliant = true) =>
        _host.Client.RecordInspectionAsync(new RecordInspectionRequest
        {
            Action = Officers.Act(caseId, "inspector"),
            SecondInspectorId = ReviewHost.SecondInspector(),
            InspectedOn = ChinaTime.Text(_host.Time.ChinaToday),
            Findings = compliant ? "场所独立" : "经营场所与住所未分开",
            MeasuredFloorArea = 30,
            Distances = { new MeasuredDistance { Target = "最近学校", Meters = 15 } },
            PremisesCompliant = compliant,
            Latitude = latitude,
            Longitude = longitude,
        }).ResponseAsync;

    private async Task<Case> AcceptedAsync()
    {
        var opened = await _host.SubmitAsync();
        await _host.Client.AcceptAsync(Officers.Act(opened.CaseId, "clerk"));
        return opened;
    }

    private async Task<Case> ReadyAsync(double latitude, double longitude, bool compliant = true)
    {
        var opened = await AcceptedAsync();
        await InspectAsync(opened.CaseId, latitude, longitude, compliant);
        await _host.InspectAndReviewAsync(opened.CaseId, inspect: false);
        return opened;
    }

    private static CaseActionRequest Approve(string caseId, params string[] reasons)
    {
        var request = Officers.Act(caseId, "head");
        request.OverrideReasons.Add(reasons);
        return request;
    }

    private Task<CaseFile> FileAsync(string caseId) =>
        _host.Client.GetCaseFileAsync(new GetCaseRequest { CaseId = caseId },
            OfficerTokens.Headers(OfficerTokens.For("o-hy-head", "head", Officers.Haiyan))).ResponseAsync;

    [Fact]
    public async Task Should_refuse_approval_beside_a_school_until_the_head_overrides_with_reasons_then_record_them()
    {
        var opened = await ReadyAsync(NearSchoolLatitude, NearSchoolLongitude);

        var file = await FileAsync(opened.CaseId);
        var refused = await Assert.ThrowsAsync<RpcException>(() => _host.Client.ApproveAsync(Approve(opened.CaseId)).ResponseAsync);
        var blank = await Assert.ThrowsAsync<RpcException>(() => _host.Client.ApproveAsync(Approve(opened.CaseId, "  ")).ResponseAsync);
        var approved = await _host.Client.ApproveAsync(Approve(opened.CaseId, "学校已于本月迁址，现场复核无学生往来"));

        Assert.False(file.Layout.Passes);
        Assert.True(file.Layout.CheckedAt is not null);
        Assert.Contains(file.DecisionBlockers, b => b.Contains("海盐县实验小学"));
        Assert.True(file.BlockersOverridable);
        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Contains("海盐县实验小学", refused.Status.Detail);
        Assert.Equal(StatusCode.InvalidArgument, blank.StatusCode);
        Assert.Equal("override_reasons[0]", Assert.Single(blank.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations).Field);
        Assert.Equal("Approved", approved.Stage);
        Assert.Equal(["学校已于本月迁址，现场复核无学生往来"], approved.DecisionOverrideReasons);
        Assert.Equal(1, await _host.CountAsync(
            "SELECT COUNT(*) FROM officer_audit WHERE subject_id = @Id AND action = 'Approve' AND outcome = 'done' AND detail LIKE @Reason",
            new { Id = opened.CaseId, Reason = "%学校已于本月迁址%" }));
        // Checked with the inspection and again at approval.
        Assert.Equal(2, await _host.CountAsync("SELECT COUNT(*) FROM review_layout_checks WHERE case_id = @Id", new { Id = Guid.Parse(opened.CaseId) }));
    }

    [Fact]
    public async Task Should_refuse_approval_of_premises_found_non_compliant_without_reasons()
    {
        var site = ReviewHost.NextSite();
        var opened = await ReadyAsync(site.Latitude, site.Longitude, compliant: false);

        var refused = await Assert.ThrowsAsync<RpcException>(() => _host.Client.ApproveAsync(Approve(opened.CaseId)).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Contains("不符合条件", refused.Status.Detail);
        Assert.Equal("UnderReview", (await _host.GetAsync(opened.CaseId)).Stage);
        Assert.Equal("Approved", (await _host.Client.ApproveAsync(Approve(opened.CaseId, "已现场整改，复查合格"))).Stage);
    }

    [Fact]
    public async Task Should_require_a_location_for_a_new_licence_inspection()
    {
        var opened = await AcceptedAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => InspectAsync(opened.CaseId, 0, 0));
        var invalid = await Assert.ThrowsAsync<RpcException>(() => InspectAsync(opened.CaseId, 95, 120));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("latitude", Assert.Single(error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations).Field);
        Assert.Equal(StatusCode.InvalidArgument, invalid.StatusCode);
    }

    [Fact]
    public async Task Should_decide_a_short_grid_quota_in_acceptance_order()
    {
        // Four shops ≈ 44 m apart along one meridian, inside one 500 m cell of 海盐县 (quota 3 a quarter).
        var cases = new List<Case>();
        for (var i = 0; i < 4; i++)
        {
            var opened = await AcceptedAsync();
            _host.Time.Advance(TimeSpan.FromMinutes(1));
            await InspectAsync(opened.CaseId, 30.4000 + (i * 0.0004), 120.8000);
            await _host.InspectAndReviewAsync(opened.CaseId, inspect: false);
            cases.Add(opened);
        }

        var files = await Task.WhenAll(cases.Select(c => FileAsync(c.CaseId)));
        Assert.Single(files.Select(f => f.Layout.GridCell).Distinct());
        Assert.Equal(3, files[3].Layout.GridQuota);
        Assert.Equal(3, files[3].Layout.GridAheadInQueue);
        Assert.False(files[3].Layout.Passes);
        Assert.True(files[2].Layout.Passes);

        // The last accepted waits behind the three before it.
        var blocked = await Assert.ThrowsAsync<RpcException>(() => _host.Client.ApproveAsync(Approve(cases[3].CaseId)).ResponseAsync);
        Assert.Contains("先受理", blocked.Status.Detail);
        foreach (var earlier in cases.Take(3))
        {
            Assert.Equal("Approved", (await _host.Client.ApproveAsync(Approve(earlier.CaseId))).Stage);
        }

        // Once they are approved the quarter's quota is spent.
        var full = await Assert.ThrowsAsync<RpcException>(() => _host.Client.ApproveAsync(Approve(cases[3].CaseId)).ResponseAsync);
        Assert.Contains("名额已满", full.Status.Detail);
        var last = await FileAsync(cases[3].CaseId);
        Assert.Contains(last.DecisionBlockers, b => b.Contains("已准予 3 个") && b.Contains("名额已满"));
        Assert.True(last.BlockersOverridable);
    }

    [Fact]
    public async Task Should_check_against_licences_issued_and_forget_them_once_revoked()
    {
        var first = await ReadyAsync(30.4500, 120.8500);
        await _host.Client.ApproveAsync(Approve(first.CaseId));
        var issued = new CertificateIssued(
            Guid.NewGuid(), Guid.Parse(first.ApplicationId), first.ApplicationNumber, Officers.Haiyan, "330424100501", "示范店主",
            _host.Time.ChinaToday, _host.Time.ChinaToday.AddYears(5), _host.Time.GetUtcNow());
        await _host.PublishAsync(issued);
        await _host.PublishAsync(issued with { CertificateId = Guid.NewGuid() });
        await _host.WaitUntilAsync(async () => await _host.CountAsync("SELECT COUNT(*) FROM review_outlets") == 1, "the outlet to arrive");

        // A new shop ≈ 11 m from the licensed one: the outlet rule (30 m) fails.
        var second = await AcceptedAsync();
        await InspectAsync(second.CaseId, 30.4501, 120.8500);
        var near = (await FileAsync(second.CaseId)).Layout;
        Assert.False(near.Passes);
        Assert.Equal("海盐示范便利店", near.NearestOutlets[0].Name);
        Assert.Contains(near.Violations, v => v.Contains("已持证零售户"));

        await _host.PublishAsync(new CertificateRevoked(
            issued.CertificateId, issued.ApplicationId, Officers.Haiyan, "330424100501", 1, "Cancelled", "注销", "o-hy-head", _host.Time.GetUtcNow()));
        await _host.WaitUntilAsync(async () => await _host.CountAsync("SELECT COUNT(*) FROM review_outlets") == 0, "the outlet to leave");
        var after = await _host.Client.CheckLayoutAsync(new CheckLayoutRequest
        {
            Action = Officers.Act(second.CaseId, "reviewer"), Latitude = 30.4501, Longitude = 120.8500,
        });
        Assert.True(after.Passes);
        Assert.Empty(after.NearestOutlets);
    }
}

public sealed class When_layout_and_compliance_gate_the_decision_on_sqlite() : When_layout_and_compliance_gate_the_decision("Sqlite");

public sealed class When_layout_and_compliance_gate_the_decision_on_postgresql() : When_layout_and_compliance_gate_the_decision("PostgreSql");
