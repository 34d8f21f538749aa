using Grpc.Core;
using Permits.Contracts.Disclosure;
using Permits.Contracts.Licensing;
using Permits.Contracts.Review;
using Permits.Contracts.Review.V1;
using CorrectionItem = Permits.Contracts.Review.V1.CorrectionItem;
using Permits.Shared.Domain;

namespace Permits.Review.Tests;

/// <summary>The clock through the service: stored state, deadline rows, the timer's warnings and breaches.</summary>
public abstract class When_cases_move_through_review(string provider) : IAsyncLifetime
{
    private ReviewHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await ReviewHost.StartAsync(provider, ManualTime.AtChinaTime(2026, 11, 2));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>The open legal deadlines of a case (the county's promise, 承诺时限, is a row of its own beside them).</summary>
    private Task<long> OpenDeadlinesAsync(string caseId) => _host.CountAsync(
        "SELECT COUNT(*) FROM review_deadlines WHERE case_id = @Id AND closed_at IS NULL AND kind <> 'PromisedDecision'", new { Id = Guid.Parse(caseId) });

    [Fact]
    public async Task Should_start_the_decision_clock_on_acceptance_and_keep_one_open_deadline()
    {
        var opened = await _host.SubmitAsync();
        Assert.Equal("2026-11-09", opened.DueBy);
        Assert.Equal("Acceptance", opened.ClockPhase);
        Assert.Equal(1, await OpenDeadlinesAsync(opened.CaseId));

        _host.Time.SetChinaDate(new DateOnly(2026, 11, 4));
        var accepted = await _host.Client.AcceptAsync(Officers.Act(opened.CaseId, "clerk"));

        Assert.Equal("UnderReview", accepted.Stage);
        Assert.Equal("Decision", accepted.ClockPhase);
        Assert.Equal("2026-12-02", accepted.DueBy);
        Assert.Equal(1, await OpenDeadlinesAsync(opened.CaseId));
        Assert.Equal(1, await _host.CountAsync(
            "SELECT COUNT(*) FROM officer_audit WHERE subject_id = @Id AND action = 'Accept' AND outcome = 'done'",
            new { Id = opened.CaseId }));
    }

    [Fact]
    public async Task Should_pause_the_clock_on_a_correction_notice_and_resume_on_resubmission()
    {
        var opened = await _host.SubmitAsync();
        _host.Time.SetChinaDate(new DateOnly(2026, 11, 4));
        var request = new RequestCorrectionRequest { Action = Officers.Act(opened.CaseId, "clerk") };
        request.Items.Add(new CorrectionItem { Material = "场所使用证明", Reason = "租赁合同缺少出租方签章" });
        request.Items.Add(new CorrectionItem { Material = "经营场所平面图", Reason = "未标注与最近学校的距离" });

        var paused = await _host.Client.RequestCorrectionAsync(request);

        Assert.Equal("AwaitingCorrection", paused.Stage);
        Assert.True(paused.ClockPaused);
        Assert.Equal(3, paused.ClockRemainingWorkingDays);
        Assert.Equal("", paused.DueBy);
        Assert.Contains("许补", paused.CorrectionDocumentNumber);
        Assert.Equal(0, await OpenDeadlinesAsync(opened.CaseId));
        var notice = Assert.Single(await _host.OutboxBodiesAsync<CorrectionRequested>());
        Assert.Contains("场所使用证明", notice);
        Assert.Contains("经营场所平面图", notice);
        Assert.Equal(2, await _host.CountAsync("SELECT COUNT(*) FROM review_correction_items"));

        // Weeks later the shopkeeper resubmits on Friday 11/20: three working days run from Monday.
        await _host.ResubmitAsync(paused, new DateTimeOffset(2026, 11, 20, 15, 0, 0, TimeSpan.FromHours(8)));
        var resumed = await _host.GetAsync(opened.CaseId);

        Assert.Equal("AwaitingAcceptance", resumed.Stage);
        Assert.False(resumed.ClockPaused);
        Assert.Equal("2026-11-25", resumed.DueBy);
        Assert.Equal(1, await OpenDeadlinesAsync(opened.CaseId));
    }

    [Fact]
    public async Task Should_refuse_a_correction_notice_that_lists_nothing_and_change_nothing()
    {
        var opened = await _host.SubmitAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => _host.Client.RequestCorrectionAsync(
            new RequestCorrectionRequest { Action = Officers.Act(opened.CaseId, "clerk") }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("AwaitingAcceptance", (await _host.GetAsync(opened.CaseId)).Stage);
        Assert.Equal(0, await _host.OutboxCountAsync<CorrectionRequested>());
    }

    [Fact]
    public async Task Should_warn_before_and_deem_accepted_after_an_unanswered_acceptance_deadline_once()
    {
        var opened = await _host.SubmitAsync();
        Assert.Equal(0, await _host.Watcher.RunOnceAsync(default));

        // Due Monday 11/09: from Thursday 11/05 two working days are left.
        _host.Time.SetChinaDate(new DateOnly(2026, 11, 5));
        Assert.Equal(1, await _host.Watcher.RunOnceAsync(default));
        Assert.Equal(0, await _host.Watcher.RunOnceAsync(default));
        Assert.Equal(1, await _host.OutboxCountAsync<DeadlineApproaching>());

        // The last day ends unanswered: deemed accepted from receipt (11/02), so the decision is due 11/30.
        _host.Time.SetChinaDate(new DateOnly(2026, 11, 9), hour: 23);
        Assert.Equal(0, await _host.Watcher.RunOnceAsync(default));
        _host.Time.SetChinaDate(new DateOnly(2026, 11, 10), hour: 0);
        Assert.Equal(1, await _host.Watcher.RunOnceAsync(default));
        Assert.Equal(0, await _host.Watcher.RunOnceAsync(default));

        var deemed = await _host.GetAsync(opened.CaseId);
        Assert.Equal("UnderReview", deemed.Stage);
        Assert.True(deemed.DeemedAccepted);
        Assert.Equal("2026-11-30", deemed.DueBy);
        Assert.NotEmpty(deemed.AcceptanceDocumentNumber);
        Assert.Contains("\"deemedAccepted\":true", Assert.Single(await _host.OutboxBodiesAsync<DeadlineBreached>()), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, await _host.OutboxCountAsync<ApplicationAccepted>());
        Assert.Equal(1, await OpenDeadlinesAsync(opened.CaseId));
        Assert.Equal(1, await _host.CountAsync(
            "SELECT COUNT(*) FROM officer_audit WHERE officer_id = 'system' AND action = 'Accept' AND outcome = 'done' AND subject_id = @Id",
            new { Id = opened.CaseId }));
    }

    [Fact]
    public async Task Should_raise_a_breach_of_the_decision_deadline_and_keep_the_case_open()
    {
        var opened = await _host.SubmitAsync();
        await _host.Client.AcceptAsync(Officers.Act(opened.CaseId, "clerk"));

        _host.Time.SetChinaDate(new DateOnly(2026, 12, 1));
        Assert.Equal(1, await _host.Watcher.RunOnceAsync(default));

        Assert.Contains("\"kind\":\"Decision\"", Assert.Single(await _host.OutboxBodiesAsync<DeadlineBreached>()), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("UnderReview", (await _host.GetAsync(opened.CaseId)).Stage);
        Assert.Equal(0, await _host.Watcher.RunOnceAsync(default));
    }

    [Fact]
    public async Task Should_let_a_head_extend_the_decision_period_once_with_a_numbered_notice()
    {
        var opened = await _host.SubmitAsync();
        await _host.Client.AcceptAsync(Officers.Act(opened.CaseId, "clerk"));

        var extended = await _host.Client.ExtendAsync(Officers.Act(opened.CaseId, "head", note: "需补充实地核查"));

        Assert.Equal("2026-12-14", extended.DueBy);
        Assert.True(extended.DecisionPeriodExtended);
        Assert.Contains("许延", extended.ExtensionDocumentNumber);
        Assert.Equal(1, await _host.OutboxCountAsync<DecisionPeriodExtended>());
        var again = await Assert.ThrowsAsync<RpcException>(() =>
            _host.Client.ExtendAsync(Officers.Act(opened.CaseId, "head", note: "再延")).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, again.StatusCode);
    }

    [Fact]
    public async Task Should_deny_with_reasons_and_the_remedy_notice_and_start_the_service_limit()
    {
        var opened = await _host.SubmitAsync();
        await _host.Client.AcceptAsync(Officers.Act(opened.CaseId, "clerk"));
        await _host.InspectAndReviewAsync(opened.CaseId);
        var request = new ReasonedActionRequest { Action = Officers.Act(opened.CaseId, "head") };
        request.Reasons.Add("经营场所距海盐县实验小学校门 42 米，不符合合理布局规定");
        request.GroundCodes.Add("NearSchool");
        request.GroundCodes.Add("GridQuotaFull");

        var denied = await _host.Client.DenyAsync(request);

        Assert.Equal("Denied", denied.Stage);
        Assert.Equal("Service", denied.ClockPhase);
        Assert.Equal("2026-11-16", denied.DueBy);
        Assert.Contains("许不准", denied.DecisionDocumentNumber);
        Assert.Single(denied.DecisionReasons);
        var body = Assert.Single(await _host.OutboxBodiesAsync<LicenceDenied>());
        Assert.Contains("六十日内向海盐县人民政府或者海盐县烟草专卖局的上一级烟草专卖局申请行政复议", body);
        Assert.Contains("六个月内依法向人民法院提起行政诉讼", body);
        Assert.Contains("\"code\":\"NearSchool\"", body);
        Assert.Contains("《中华人民共和国未成年人保护法》第五十九条", body);
        Assert.Contains("\"code\":\"GridQuotaFull\"", body);
        Assert.Equal(["NearSchool", "GridQuotaFull"], denied.DecisionGrounds.Select(g => g.Code));
        Assert.Contains("licence-denied", Assert.Single(await _host.OutboxBodiesAsync<DisclosureRecorded>(), b => b.Contains("licence-denied")));
    }

    [Fact]
    public async Task Should_stop_the_service_clock_when_the_licence_is_delivered()
    {
        var opened = await _host.SubmitAsync();
        await _host.Client.AcceptAsync(Officers.Act(opened.CaseId, "clerk"));
        await _host.InspectAndReviewAsync(opened.CaseId);
        var approved = await _host.Client.ApproveAsync(Officers.Act(opened.CaseId, "head"));
        Assert.Equal("Service", approved.ClockPhase);

        await _host.PublishAsync(new Permits.Contracts.Delivery.ShipmentDelivered(
            Guid.NewGuid(), Guid.Parse(opened.ApplicationId), "SF0001", "张*", _host.Time.GetUtcNow()));

        await Permits.Testing.Eventually.TrueAsync(
            async () => (await _host.GetAsync(opened.CaseId)).ClockPhase == "Stopped", TimeSpan.FromSeconds(30), "the clock to stop");
        Assert.Equal(0, await OpenDeadlinesAsync(opened.CaseId));
        _host.Time.SetChinaDate(new DateOnly(2026, 12, 31));
        Assert.Equal(0, await _host.Watcher.RunOnceAsync(default));
    }

    [Fact]
    public async Task Should_start_the_service_limit_when_not_accepting()
    {
        var opened = await _host.SubmitAsync();
        var request = new ReasonedActionRequest { Action = Officers.Act(opened.CaseId, "clerk") };
        request.GroundCodes.Add("NotInScope");

        var refused = await _host.Client.NotAcceptAsync(request);

        // 不予受理决定书 is a decision the law requires to be served: its service limit runs like any other's.
        Assert.Equal("NotAccepted", refused.Stage);
        Assert.Equal("Service", refused.ClockPhase);
        Assert.Equal("2026-11-16", refused.DueBy);
        Assert.Equal(1, await OpenDeadlinesAsync(opened.CaseId));
        var body = Assert.Single(await _host.OutboxBodiesAsync<ApplicationNotAccepted>());
        Assert.Contains("\"code\":\"NotInScope\"", body);
        Assert.Contains("《中华人民共和国行政许可法》第三十二条", body);
    }

    [Fact]
    public async Task Should_order_the_queue_by_deadline_filter_it_and_count_per_stage()
    {
        var first = await _host.SubmitAsync();
        _host.Time.SetChinaDate(new DateOnly(2026, 11, 3));
        var second = await _host.SubmitAsync(requestType: RequestTypes.Change);
        await _host.Client.AcceptAsync(Officers.Act(first.CaseId, "clerk"));
        await _host.SubmitAsync(county: Officers.Jiashan);

        var all = await _host.Client.ListQueueAsync(new ListQueueRequest
        {
            CountyCode = Officers.Haiyan, OfficerId = "c", OfficerRole = "clerk", OfficerCountyCode = Officers.Haiyan, Step = "all",
        });
        Assert.Equal([second.CaseId, first.CaseId], all.Cases.Select(c => c.CaseId));
        Assert.Equal(1, all.StageCounts["AwaitingAcceptance"]);
        Assert.Equal(1, all.StageCounts["UnderReview"]);

        var changes = await _host.Client.ListQueueAsync(new ListQueueRequest
        {
            RequestType = RequestTypes.Change, OfficerId = "c", OfficerRole = "inspector", OfficerCountyCode = Officers.Haiyan, Step = "all",
        });
        Assert.Equal(second.CaseId, Assert.Single(changes.Cases).CaseId);
    }
}

public sealed class When_cases_move_through_review_on_sqlite() : When_cases_move_through_review("Sqlite");

public sealed class When_cases_move_through_review_on_postgresql() : When_cases_move_through_review("PostgreSql");
