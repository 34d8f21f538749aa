using Grpc.Core;
using Google.Rpc;
using Permits.Contracts.Intake;
using Permits.Contracts.Licensing;
using Permits.Contracts.Review.V1;
using Permits.Shared.Domain;

namespace Permits.Review.Tests;

/// <summary>
/// Each role's queue shows its own work step; search, filter and pages; batch claim, hand-over, extension requests,
/// the case file and the head's deadline board.
/// </summary>
public abstract class When_officers_work_their_queues(string provider) : IAsyncLifetime
{
    private ReviewHost _host = null!;

    public async Task InitializeAsync() => _host = await ReviewHost.StartAsync(provider, ManualTime.AtChinaTime(2026, 11, 2));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static Metadata As(string officerId, string role, string name = "测试工作人员") =>
        OfficerTokens.Headers(OfficerTokens.For(officerId, role, Officers.Haiyan, name));

    private Task<ListQueueResponse> QueueAsync(string role, string step = "", string search = "", string requestType = "", int page = 0, int pageSize = 0) =>
        _host.Client.ListQueueAsync(new ListQueueRequest
        {
            Step = step, Search = search, RequestType = requestType, Page = page, PageSize = pageSize,
        }, As($"{role}-q", role)).ResponseAsync;

    private async Task<Case> AcceptedAsync(string requestType = RequestTypes.New, string? licenceNumber = null)
    {
        var opened = await _host.SubmitAsync(requestType: requestType, licenceNumber: licenceNumber);
        return await _host.Client.AcceptAsync(Officers.Act(opened.CaseId, "clerk"));
    }

    /// <summary>One case at each step: 待受理, 待核查, 待审核 (a 新办 and a 变更), 待审批.</summary>
    private async Task<(Case Acceptance, Case Inspection, Case Opinion, Case ChangeOpinion, Case Approval)> OneAtEachStepAsync()
    {
        var acceptance = await _host.SubmitAsync();
        var inspection = await AcceptedAsync();
        var opinion = await AcceptedAsync();
        await _host.Client.RecordInspectionAsync(ReviewHost.Located(new RecordInspectionRequest
        {
            Action = Officers.Act(opinion.CaseId, "inspector"), SecondInspectorId = ReviewHost.SecondInspector(),
            InspectedOn = ChinaTime.Text(_host.Time.ChinaToday), Findings = "场所独立", MeasuredFloorArea = 30,
            Distances = { new MeasuredDistance { Target = "最近零售户", Meters = 200 } }, PremisesCompliant = true,
        }));
        var change = await AcceptedAsync(RequestTypes.Change, "330424100077");
        var approval = await AcceptedAsync();
        await _host.InspectAndReviewAsync(approval.CaseId);
        return (acceptance, inspection, await _host.GetAsync(opinion.CaseId), change, await _host.GetAsync(approval.CaseId));
    }

    [Fact]
    public async Task Should_show_each_role_only_the_cases_at_its_step_with_the_step_in_words()
    {
        var (acceptance, inspection, opinion, change, approval) = await OneAtEachStepAsync();

        var clerk = await QueueAsync("clerk");
        var inspector = await QueueAsync("inspector");
        var reviewer = await QueueAsync("reviewer");
        var head = await QueueAsync("head");
        var all = await QueueAsync("head", step: "all");

        Assert.Equal([acceptance.CaseId], clerk.Cases.Select(c => c.CaseId));
        Assert.Equal(["Acceptance", "Correction"], clerk.Steps);
        Assert.Equal([inspection.CaseId], inspector.Cases.Select(c => c.CaseId));
        Assert.Equal("待核查", inspector.Cases[0].StageLabel);
        Assert.Equal("Inspection", inspector.Cases[0].Step);
        Assert.Equal(20, inspector.Cases[0].WorkingDaysLeft);
        Assert.False(inspector.Cases[0].Overdue);
        Assert.Equal(new[] { opinion.CaseId, change.CaseId }.Order(), reviewer.Cases.Select(c => c.CaseId).Order());
        Assert.All(reviewer.Cases, c => Assert.Equal("待审核", c.StepLabel));
        Assert.Equal([approval.CaseId], head.Cases.Select(c => c.CaseId));
        Assert.Equal(5, all.Total);
        Assert.Equal(1, all.StepCounts["Acceptance"]);
        Assert.Equal(2, all.StepCounts["Opinion"]);
        Assert.Equal(0, all.StepCounts["Extension"]);

        var changes = await QueueAsync("reviewer", requestType: RequestTypes.Change);
        Assert.Equal([change.CaseId], changes.Cases.Select(c => c.CaseId));
        var unknown = await Assert.ThrowsAsync<RpcException>(() => QueueAsync("head", step: "Inspection,Lunch"));
        Assert.Equal("step", Assert.Single(unknown.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations).Field);
    }

    [Fact]
    public async Task Should_search_by_number_name_or_licence_and_page_by_deadline()
    {
        var (acceptance, _, _, change, _) = await OneAtEachStepAsync();

        var byNumber = await QueueAsync("head", step: "all", search: acceptance.ApplicationNumber[4..12].ToUpperInvariant());
        var byLicence = await QueueAsync("head", step: "all", search: "100077");
        var byName = await QueueAsync("head", step: "all", search: "示范便利");
        var wildcard = await QueueAsync("head", step: "all", search: "%");
        var first = await QueueAsync("head", step: "all", page: 1, pageSize: 2);
        var third = await QueueAsync("head", step: "all", page: 3, pageSize: 2);

        Assert.Equal([acceptance.CaseId], byNumber.Cases.Select(c => c.CaseId));
        Assert.Equal([change.CaseId], byLicence.Cases.Select(c => c.CaseId));
        Assert.Equal(5, byName.Total);
        Assert.Empty(wildcard.Cases);
        Assert.Equal(2, first.Cases.Count);
        Assert.Equal(5, first.Total);
        Assert.Single(third.Cases);
        // Nearest deadline first: the case still awaiting acceptance is due in 5 working days, the rest in 20.
        Assert.Equal(acceptance.CaseId, first.Cases[0].CaseId);
    }

    [Fact]
    public async Task Should_claim_several_at_once_each_answering_for_itself()
    {
        var a = await _host.SubmitAsync();
        var b = await _host.SubmitAsync();
        await _host.Client.ClaimAsync(new CaseActionRequest { CaseId = b.CaseId }, As("clerk-b", "clerk"));

        var batch = await _host.Client.ClaimManyAsync(
            new ClaimManyRequest { CaseIds = { a.CaseId, b.CaseId, "not-a-case" } }, As("clerk-a", "clerk", "张受理"));

        Assert.True(batch.Outcomes[0].Claimed);
        Assert.Equal("张受理", batch.Outcomes[0].Case.ClaimedByName);
        Assert.False(batch.Outcomes[1].Claimed);
        Assert.Contains("clerk-b", batch.Outcomes[1].Problem);
        Assert.False(batch.Outcomes[2].Claimed);
        Assert.Equal(1, await _host.CountAsync(
            "SELECT COUNT(*) FROM officer_audit WHERE officer_id = 'clerk-a' AND action = 'Claim' AND outcome = 'done'"));
    }

    [Fact]
    public async Task Should_hand_a_claimed_case_only_to_a_colleague_with_a_role_for_its_step()
    {
        var reviewCase = await _host.SubmitAsync();
        await _host.Client.ClaimAsync(new CaseActionRequest { CaseId = reviewCase.CaseId }, As("clerk-a", "clerk"));
        AssignRequest To(string officerId) => new() { Action = new CaseActionRequest { CaseId = reviewCase.CaseId }, OfficerId = officerId };

        var notHolder = await Assert.ThrowsAsync<RpcException>(() => _host.Client.AssignAsync(To("o-hy-clerk"), As("clerk-b", "clerk")).ResponseAsync);
        var wrongRole = await Assert.ThrowsAsync<RpcException>(() => _host.Client.AssignAsync(To("o-hy-inspector1"), As("clerk-a", "clerk")).ResponseAsync);
        var otherCounty = await Assert.ThrowsAsync<RpcException>(() => _host.Client.AssignAsync(To("o-js-clerk"), As("clerk-a", "clerk")).ResponseAsync);
        var handed = await _host.Client.AssignAsync(To("o-hy-clerk"), As("clerk-a", "clerk"));

        Assert.Equal(StatusCode.FailedPrecondition, notHolder.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, wrongRole.StatusCode);
        Assert.Contains("受理", wrongRole.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations[0].Description);
        Assert.Equal(StatusCode.InvalidArgument, otherCounty.StatusCode);
        Assert.Equal("o-hy-clerk", handed.ClaimedBy);
        Assert.Equal("海盐县受理员", handed.ClaimedByName);
        Assert.Equal(1, await _host.CountAsync(
            "SELECT COUNT(*) FROM officer_audit WHERE subject_id = @Id AND action = 'Assign' AND outcome = 'done' AND detail LIKE '%o-hy-clerk%'",
            new { Id = reviewCase.CaseId }));
    }

    [Fact]
    public async Task Should_put_an_extension_request_before_the_head_until_extended()
    {
        var reviewCase = await AcceptedAsync();
        var request = new CaseActionRequest { CaseId = reviewCase.CaseId };

        var noReason = await Assert.ThrowsAsync<RpcException>(() => _host.Client.RequestExtensionAsync(request, As("inspector-a", "inspector")).ResponseAsync);
        request.Note = "需等待规划部门出具意见";
        var clerk = await Assert.ThrowsAsync<RpcException>(() => _host.Client.RequestExtensionAsync(request, As("clerk-a", "clerk")).ResponseAsync);
        var requested = await _host.Client.RequestExtensionAsync(request, As("inspector-a", "inspector", "李核查"));
        var again = await Assert.ThrowsAsync<RpcException>(() => _host.Client.RequestExtensionAsync(request, As("inspector-a", "inspector")).ResponseAsync);
        var headQueue = await QueueAsync("head");
        var inspectorQueue = await QueueAsync("inspector");
        await _host.Client.ExtendAsync(Officers.Act(reviewCase.CaseId, "head", note: "同意延期"));
        var afterwards = await QueueAsync("head");

        Assert.Equal(StatusCode.InvalidArgument, noReason.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, clerk.StatusCode);
        Assert.True(requested.ExtensionRequested);
        Assert.Equal("李核查（inspector-a）", requested.ExtensionRequestedBy);
        Assert.Equal("需等待规划部门出具意见", requested.ExtensionRequestReason);
        Assert.Equal(StatusCode.FailedPrecondition, again.StatusCode);
        Assert.Equal([reviewCase.CaseId], headQueue.Cases.Select(c => c.CaseId));
        Assert.Equal(1, headQueue.StepCounts["Extension"]);
        Assert.Equal([reviewCase.CaseId], inspectorQueue.Cases.Select(c => c.CaseId));
        Assert.Empty(afterwards.Cases);
    }

    [Fact]
    public async Task Should_give_the_head_the_whole_case_file()
    {
        var opened = await _host.SubmitAsync();
        await _host.Client.RequestCorrectionAsync(new RequestCorrectionRequest
        {
            Action = Officers.Act(opened.CaseId, "clerk"),
            Items = { new CorrectionItem { Material = "场所使用证明", Reason = "租赁合同缺少出租方签字" } },
        });
        _host.Time.Advance(TimeSpan.FromDays(1));
        await _host.ResubmitAsync(opened, _host.Time.GetUtcNow());
        var returned = await _host.GetAsync(opened.CaseId);
        await _host.Client.AcceptAsync(Officers.Act(opened.CaseId, "clerk"));
        await _host.InspectAndReviewAsync(opened.CaseId);

        var file = await _host.Client.GetCaseFileAsync(new GetCaseRequest { CaseId = opened.CaseId }, As("o-hy-head", "head"));
        var stranger = await Assert.ThrowsAsync<RpcException>(() => _host.Client.GetCaseFileAsync(
            new GetCaseRequest { CaseId = opened.CaseId },
            OfficerTokens.Headers(OfficerTokens.For("o-js-head", "head", Officers.Jiashan))).ResponseAsync);

        Assert.True(returned.CorrectionReturned);
        Assert.Equal("Approval", file.Case.Step);
        Assert.Equal("o-hy-inspector2", file.Inspection.SecondInspectorId);
        Assert.Equal("海盐县核查员二", file.Inspection.SecondInspectorName);
        Assert.Equal("测试工作人员", file.Inspection.FirstInspectorName);
        Assert.NotEqual(0, file.Inspection.Latitude);
        Assert.True(file.Layout.Passes);
        Assert.Equal("材料齐全，符合条件", file.Opinion.Opinion_);
        var notice = Assert.Single(file.Corrections);
        Assert.Equal("场所使用证明", Assert.Single(notice.Items).Material);
        Assert.NotNull(notice.ResubmittedAt);
        Assert.Equal(["RequestCorrection", "Accept", "RecordInspection", "RecordOpinion"], file.History.Select(h => h.Action));
        Assert.Equal("受理", file.History[1].ActionLabel);
        Assert.Empty(file.DecisionBlockers);
        Assert.Equal(StatusCode.PermissionDenied, stranger.StatusCode);
        Assert.Equal(1, await _host.CountAsync(
            "SELECT COUNT(*) FROM officer_audit WHERE subject_id = @Id AND action = 'ViewCase' AND outcome = 'refused'", new { Id = opened.CaseId }));
    }

    [Fact]
    public async Task Should_show_the_head_days_left_breaches_paused_cases_and_poor_ratings()
    {
        var late = await _host.SubmitAsync();
        var paused = await _host.SubmitAsync();
        await _host.Client.RequestCorrectionAsync(new RequestCorrectionRequest
        {
            Action = Officers.Act(paused.CaseId, "clerk"), Items = { new CorrectionItem { Material = "身份证明", Reason = "不清晰" } },
        });
        // 2026-11-02 + 5 working days = 11-09; on 11-12 the acceptance deadline is breached (and deemed accepted).
        _host.Time.Advance(TimeSpan.FromDays(10));
        await _host.Watcher.RunOnceAsync(CancellationToken.None);
        var fresh = await _host.SubmitAsync();
        await _host.PublishAsync(new ServiceRated(Guid.NewGuid(), "SQ20261101000009", Officers.Haiyan, 5, true, "窗口态度差", _host.Time.GetUtcNow().AddDays(-3)));
        await _host.PublishAsync(new ServiceRated(Guid.NewGuid(), "SQ20261101000010", Officers.Haiyan, 1, false, null, _host.Time.GetUtcNow()));
        await _host.WaitUntilAsync(async () => await _host.CountAsync("SELECT COUNT(*) FROM review_poor_ratings") == 1, "the poor rating");

        var board = await _host.Client.GetBoardAsync(new GetBoardRequest(), As("o-hy-head", "head"));
        var clerk = await Assert.ThrowsAsync<RpcException>(() => _host.Client.GetBoardAsync(new GetBoardRequest(), As("clerk-a", "clerk")).ResponseAsync);

        Assert.Equal(3, board.OpenCases.Count);
        Assert.Equal(paused.CaseId, Assert.Single(board.Paused).CaseId);
        Assert.Equal(1, board.Buckets.Single(b => b.Key == "paused").Count);
        Assert.Equal(1, board.Buckets.Single(b => b.Key == "0-3").Count + board.Buckets.Single(b => b.Key == "4-10").Count);
        Assert.Equal(1, board.Buckets.Single(b => b.Key == "11+").Count);
        Assert.Equal(late.CaseId, Assert.Single(board.BreachesThisMonth).CaseId);
        var rating = Assert.Single(board.PoorRatingsWaiting);
        Assert.Equal("非常不满意", rating.Level);
        Assert.InRange(rating.WaitingWorkingDays, 1, 3);
        Assert.Equal(1, board.StepCounts["Correction"]);
        Assert.Equal(1, board.StepCounts["Acceptance"]);
        Assert.Contains(board.OpenCases, c => c.CaseId == fresh.CaseId);
        Assert.Equal(StatusCode.PermissionDenied, clerk.StatusCode);
    }
}

public sealed class When_officers_work_their_queues_on_sqlite() : When_officers_work_their_queues("Sqlite");

public sealed class When_officers_work_their_queues_on_postgresql() : When_officers_work_their_queues("PostgreSql");
