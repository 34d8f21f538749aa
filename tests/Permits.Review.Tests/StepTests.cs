using Grpc.Core;
using Google.Rpc;
using Permits.Contracts.Licensing;
using Permits.Contracts.Review;
using Permits.Contracts.Review.V1;
using MeasuredDistance = Permits.Contracts.Review.V1.MeasuredDistance;
using Permits.Shared.Domain;

namespace Permits.Review.Tests;

public abstract class When_a_case_is_inspected_reviewed_and_decided(string provider) : IAsyncLifetime
{
    private ReviewHost _host = null!;

    public async Task InitializeAsync() => _host = await ReviewHost.StartAsync(provider, ManualTime.AtChinaTime(2026, 11, 2));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static RecordInspectionRequest Inspection(string caseId, string second = "o-hy-inspector2") => ReviewHost.Located(new()
    {
        Action = Officers.Act(caseId, "inspector"),
        SecondInspectorId = second,
        InspectedOn = "2026-11-02",
        Findings = "经营场所与住所相独立，面积与申报一致",
        MeasuredFloorArea = 34.8,
        Distances =
        {
            new MeasuredDistance { Target = "最近零售户（向阳路烟酒店）", Meters = 86.5 },
            new MeasuredDistance { Target = "海盐县实验小学校门", Meters = 212 },
        },
        PhotoReferences = { "photo/2026/11/02/a1.jpg", "photo/2026/11/02/a2.jpg" },
        PremisesCompliant = true,
    });

    [Fact]
    public async Task Should_record_the_full_path_with_a_numbered_document_and_disclosure_for_each_step()
    {
        var opened = await _host.SubmitAsync();
        await _host.Client.AcceptAsync(Officers.Act(opened.CaseId, "clerk"));

        var inspected = await _host.Client.RecordInspectionAsync(Inspection(opened.CaseId));
        var reviewed = await _host.Client.RecordOpinionAsync(new RecordOpinionRequest
        {
            Action = Officers.Act(opened.CaseId, "reviewer"), Recommendation = "Approve", Opinion = "符合条件，建议准予",
        });
        var approved = await _host.Client.ApproveAsync(Officers.Act(opened.CaseId, "head"));

        Assert.Contains("许核", inspected.InspectionDocumentNumber);
        Assert.Contains("许审", reviewed.OpinionDocumentNumber);
        Assert.Equal("Approve", reviewed.Recommendation);
        Assert.Equal("Approved", approved.Stage);
        var site = Assert.Single(await _host.OutboxBodiesAsync<SiteInspected>());
        Assert.Contains("o-hy-inspector2", site);
        Assert.Contains("a2.jpg", site);
        Assert.Contains("86.5", site);
        Assert.Equal(1, await _host.OutboxCountAsync<ReviewOpinionRecorded>());
        var kinds = await _host.OutboxBodiesAsync<Permits.Contracts.Disclosure.DisclosureRecorded>();
        foreach (var kind in new[] { "application-accepted", "site-inspected", "review-opinion-recorded", "licence-approved" })
        {
            Assert.Single(kinds, k => k.Contains($"\"{kind}\""));
        }

        Assert.Equal(4, await _host.CountAsync(
            "SELECT COUNT(*) FROM officer_audit WHERE subject_id = @Id AND outcome = 'done'", new { Id = opened.CaseId }));
    }

    [Fact]
    public async Task Should_refuse_to_decide_a_new_licence_before_inspection_and_opinion_naming_what_is_missing()
    {
        var opened = await _host.SubmitAsync(requestType: RequestTypes.New);
        var accepted = await _host.Client.AcceptAsync(Officers.Act(opened.CaseId, "clerk"));
        var deny = new ReasonedActionRequest { Action = Officers.Act(opened.CaseId, "head") };
        deny.Reasons.Add("不符合合理布局规定");
        deny.GroundCodes.Add("Layout");

        var approve = await Assert.ThrowsAsync<RpcException>(() => _host.Client.ApproveAsync(Officers.Act(opened.CaseId, "head")).ResponseAsync);
        var denied = await Assert.ThrowsAsync<RpcException>(() => _host.Client.DenyAsync(deny).ResponseAsync);
        await _host.InspectAndReviewAsync(opened.CaseId, inspect: false);
        var withOpinionOnly = await Assert.ThrowsAsync<RpcException>(() => _host.Client.ApproveAsync(Officers.Act(opened.CaseId, "head")).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, approve.StatusCode);
        Assert.Contains("实地核查记录", approve.Status.Detail);
        Assert.Contains("审核意见", approve.Status.Detail);
        Assert.Equal(StatusCode.FailedPrecondition, denied.StatusCode);
        Assert.Contains("实地核查记录", denied.Status.Detail);
        Assert.Equal(StatusCode.FailedPrecondition, withOpinionOnly.StatusCode);
        Assert.Contains("实地核查记录", withOpinionOnly.Status.Detail);
        Assert.DoesNotContain("审核意见", withOpinionOnly.Status.Detail);
        var unchanged = await _host.GetAsync(opened.CaseId);
        Assert.Equal("UnderReview", unchanged.Stage);
        Assert.Equal(accepted.DueBy, unchanged.DueBy);
        Assert.Equal("", unchanged.DecisionDocumentNumber);
        Assert.Equal(0, await _host.OutboxCountAsync<LicenceApproved>());
        Assert.Equal(0, await _host.OutboxCountAsync<LicenceDenied>());
    }

    [Theory]
    [InlineData(RequestTypes.Suspend)]
    [InlineData(RequestTypes.Cancel)]
    [InlineData(RequestTypes.Reissue)]
    public async Task Should_decide_a_type_that_needs_no_visit_after_the_opinion_alone(string requestType)
    {
        var opened = await _host.SubmitAsync(requestType: requestType);
        await _host.Client.AcceptAsync(Officers.Act(opened.CaseId, "clerk"));

        var early = await Assert.ThrowsAsync<RpcException>(() => _host.Client.ApproveAsync(Officers.Act(opened.CaseId, "head")).ResponseAsync);
        await _host.InspectAndReviewAsync(opened.CaseId, inspect: false);
        var approved = await _host.Client.ApproveAsync(Officers.Act(opened.CaseId, "head"));

        Assert.Equal(StatusCode.FailedPrecondition, early.StatusCode);
        Assert.Contains("审核意见", early.Status.Detail);
        Assert.DoesNotContain("实地核查", early.Status.Detail);
        Assert.Equal("Approved", approved.Stage);
        Assert.Equal("", approved.InspectionDocumentNumber);
    }

    [Fact]
    public void Should_require_the_visit_for_new_licences_only_and_both_steps_for_unknown_types()
    {
        Assert.True(Permits.Review.Domain.ReviewRequirements.For(RequestTypes.New).Inspection);
        Assert.All(new[] { RequestTypes.Change, RequestTypes.Renewal, RequestTypes.Suspend, RequestTypes.Resume, RequestTypes.Close, RequestTypes.Reissue, RequestTypes.Cancel },
            t => Assert.Equal(new Permits.Review.Domain.ReviewRequirements.Requirement(false, true), Permits.Review.Domain.ReviewRequirements.For(t)));
        Assert.Equal(new Permits.Review.Domain.ReviewRequirements.Requirement(true, true), Permits.Review.Domain.ReviewRequirements.For("Unknown"));
    }

    [Fact]
    public async Task Should_refuse_an_inspection_by_one_officer_alone_naming_the_field()
    {
        var opened = await _host.SubmitAsync();
        await _host.Client.AcceptAsync(Officers.Act(opened.CaseId, "clerk"));
        var request = Inspection(opened.CaseId, second: "inspector-330424");

        var error = await Assert.ThrowsAsync<RpcException>(() => _host.Client.RecordInspectionAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("second_inspector_id", Assert.Single(error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations).Field);
        Assert.Equal(0, await _host.CountAsync("SELECT COUNT(*) FROM review_inspections"));
    }

    [Fact]
    public async Task Should_show_the_nearest_outlets_and_schools_and_whether_the_rules_pass()
    {
        var opened = await _host.SubmitAsync();

        // Beside 海盐县实验小学 (≈ 20 m): the school rule (50 m) fails.
        var near = await _host.Client.CheckLayoutAsync(new CheckLayoutRequest
        {
            Action = Officers.Act(opened.CaseId, "reviewer"), Latitude = 30.52715, Longitude = 120.94425,
        });
        Assert.True(near.RulesKnown);
        Assert.False(near.Passes);
        Assert.Equal("海盐县实验小学", near.NearestSchools[0].Name);
        Assert.InRange(near.NearestSchools[0].Meters, 10, 30);
        Assert.Contains(near.Violations, v => v.Contains("海盐县实验小学"));

        // Out in 沈荡镇, far from every school, and no licence issued yet in the county: passes (the outlets are the
        // county's real licences, When_licences_are_issued_and_revoked).
        var far = await _host.Client.CheckLayoutAsync(new CheckLayoutRequest
        {
            Action = Officers.Act(opened.CaseId, "reviewer"), Latitude = 30.58472, Longitude = 120.88734,
        });
        Assert.True(far.Passes);
        Assert.Empty(far.NearestOutlets);
        Assert.Empty(far.Violations);
    }
}

public sealed class When_a_case_is_inspected_reviewed_and_decided_on_sqlite() : When_a_case_is_inspected_reviewed_and_decided("Sqlite");

public sealed class When_a_case_is_inspected_reviewed_and_decided_on_postgresql() : When_a_case_is_inspected_reviewed_and_decided("PostgreSql");
