using Grpc.Core;
using Permits.Contracts.Licensing;
using Permits.Contracts.Review;
using Permits.Contracts.Review.V1;

namespace Permits.Review.Tests;

/// <summary>
/// The legal gaps of issue 15 that Review closes: a lease that ended before the approval refuses it (no licence may end
/// before it starts); a 变更 filed more than 30 days after the change is accepted but marked late.
/// </summary>
public abstract class When_the_law_s_smaller_rules_apply(string provider) : IAsyncLifetime
{
    private ReviewHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await ReviewHost.StartAsync(provider, ManualTime.AtChinaTime(2026, 11, 2));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<CaseFile> FileAsync(string caseId) =>
        await _host.Client.GetCaseFileAsync(
            new GetCaseRequest { CaseId = caseId }, OfficerTokens.Headers(OfficerTokens.For("head-" + Officers.Haiyan, "head", Officers.Haiyan)));

    [Fact]
    public async Task Should_refuse_to_approve_when_the_lease_ended_before_the_approval_day()
    {
        var opened = await _host.SubmitAsync(shape: e => e with { LeaseEndDate = new DateOnly(2026, 11, 20) });
        await _host.Client.AcceptAsync(Officers.Act(opened.CaseId, "clerk"));
        await _host.InspectAndReviewAsync(opened.CaseId);
        _host.Time.SetChinaDate(new DateOnly(2026, 11, 23));

        var approve = Officers.Act(opened.CaseId, "head");
        approve.OverrideReasons.Add("场所实际仍在使用");

        var refused = await Assert.ThrowsAsync<RpcException>(() => _host.Client.ApproveAsync(approve).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Contains("租赁期限已于 2026-11-20 届满", refused.Status.Detail);
        Assert.Equal("UnderReview", (await _host.GetAsync(opened.CaseId)).Stage);
        Assert.Equal(0, await _host.OutboxCountAsync<LicenceApproved>());
        var file = await FileAsync(opened.CaseId);
        Assert.Contains(file.DecisionBlockers, b => b.Contains("租赁期限已于 2026-11-20 届满"));
        Assert.False(file.BlockersOverridable);
    }

    [Fact]
    public async Task Should_approve_on_the_last_day_of_the_lease()
    {
        var opened = await _host.SubmitAsync(shape: e => e with { LeaseEndDate = new DateOnly(2026, 11, 20) });
        await _host.Client.AcceptAsync(Officers.Act(opened.CaseId, "clerk"));
        await _host.InspectAndReviewAsync(opened.CaseId);
        _host.Time.SetChinaDate(new DateOnly(2026, 11, 20));

        var approved = await _host.Client.ApproveAsync(Officers.Act(opened.CaseId, "head"));

        Assert.Equal("Approved", approved.Stage);
    }

    [Theory]
    [InlineData("2026-10-03", false)]
    [InlineData("2026-10-02", true)]
    public async Task Should_accept_a_late_change_and_mark_it_on_the_case_and_in_the_history(string changedOn, bool late)
    {
        var opened = await _host.SubmitAsync(
            requestType: RequestTypes.Change, licenceNumber: "330424100001", holderMatch: "IdNumber",
            shape: e => e with { ChangedOn = DateOnly.Parse(changedOn, System.Globalization.CultureInfo.InvariantCulture) });

        Assert.Equal(late, opened.FiledLate);
        Assert.Equal(changedOn, opened.ChangedOn);
        var accepted = await _host.Client.AcceptAsync(Officers.Act(opened.CaseId, "clerk"));
        Assert.Equal("UnderReview", accepted.Stage);
        var file = await FileAsync(opened.CaseId);
        Assert.Equal(late, file.History.Any(h => h.Action == "LateChange" && h.Detail.Contains(changedOn)));
    }

    [Fact]
    public async Task Should_show_the_county_s_promised_limit_beside_the_legal_one_and_report_its_breach_apart()
    {
        var head = OfficerTokens.Headers(OfficerTokens.For("head-" + Officers.Haiyan, "head", Officers.Haiyan));
        var opened = await _host.SubmitAsync();
        var accepted = await _host.Client.AcceptAsync(Officers.Act(opened.CaseId, "clerk"));
        var jiashan = await _host.SubmitAsync(county: Officers.Jiashan);
        var jiashanAccepted = await _host.Client.AcceptAsync(Officers.Act(jiashan.CaseId, "clerk", Officers.Jiashan));

        // 海盐县 promises 15 working days (counties.json); the law gives 20. 嘉善县 promises nothing shorter.
        Assert.Equal("2026-11-30", accepted.DueBy);
        Assert.Equal("2026-11-23", accepted.PromisedDueBy);
        Assert.Equal("", jiashanAccepted.PromisedDueBy);
        Assert.Contains("\"promisedDecisionDueBy\":\"2026-11-23\"", Assert.Single(
            await _host.OutboxBodiesAsync<ApplicationAccepted>(), b => b.Contains(opened.ApplicationId)));

        _host.Time.SetChinaDate(new DateOnly(2026, 11, 24));
        await _host.Watcher.RunOnceAsync(default);
        var promiseBroken = await _host.Client.GetBoardAsync(new GetBoardRequest { CountyCode = Officers.Haiyan }, head);

        Assert.Equal(0, await _host.OutboxCountAsync<DeadlineBreached>());
        Assert.Empty(promiseBroken.BreachesThisMonth);
        var promised = Assert.Single(promiseBroken.PromisedBreachesThisMonth);
        Assert.Equal(("PromisedDecision", "2026-11-23"), (promised.Kind, promised.DueBy));
        Assert.True((await _host.GetAsync(opened.CaseId)).PromisedOverdue);

        _host.Time.SetChinaDate(new DateOnly(2026, 12, 1));
        await _host.Watcher.RunOnceAsync(default);
        var lawBroken = await _host.Client.GetBoardAsync(new GetBoardRequest { CountyCode = Officers.Haiyan }, head);

        Assert.Equal("Decision", Assert.Single(lawBroken.BreachesThisMonth).Kind);
        // The promise was broken in November: this month's board lists only the law's breach.
        Assert.Empty(lawBroken.PromisedBreachesThisMonth);
        Assert.Contains("\"kind\":\"Decision\"", Assert.Single(await _host.OutboxBodiesAsync<DeadlineBreached>(), b => b.Contains(opened.CaseId)));
    }

    [Fact]
    public async Task Should_close_the_promise_when_the_case_is_decided_in_time()
    {
        var opened = await _host.SubmitAsync();
        await _host.Client.AcceptAsync(Officers.Act(opened.CaseId, "clerk"));
        await _host.InspectAndReviewAsync(opened.CaseId);
        var approved = await _host.Client.ApproveAsync(Officers.Act(opened.CaseId, "head"));

        Assert.Equal("", approved.PromisedDueBy);
        Assert.Equal(0, await _host.CountAsync(
            "SELECT COUNT(*) FROM review_deadlines WHERE case_id = @Id AND kind = 'PromisedDecision' AND closed_at IS NULL",
            new { Id = Guid.Parse(opened.CaseId) }));
    }
}

public sealed class When_the_law_s_smaller_rules_apply_on_sqlite() : When_the_law_s_smaller_rules_apply("Sqlite");

public sealed class When_the_law_s_smaller_rules_apply_on_postgresql() : When_the_law_s_smaller_rules_apply("PostgreSql");
