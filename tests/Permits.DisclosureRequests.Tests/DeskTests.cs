using Grpc.Core;
using Permits.Contracts.Disclosure.V1;
using Microsoft.Extensions.DependencyInjection;
using Permits.Disclosure;
using Permits.Shared.Security;
using Permits.Shared.Steps;
using Permits.Testing;

namespace Permits.DisclosureRequests.Tests;

/// <summary>The disclosure clerk's steps, the legal clock they move, and who may take them.</summary>
public abstract class When_the_clerk_works_a_request(RequestsHost host)
{
    private static readonly Metadata Clerk = RequestsHost.Clerk();

    [Fact]
    public async Task Should_restart_the_twenty_days_from_the_corrected_request()
    {
        host.Time.Set(2026, 2, 13);
        var filed = await host.Public.FileRequestAsync(Samples.Person());
        host.Time.Set(2026, 3, 2); // the 7th working day: the last day for a notice

        var notice = await host.Desk.RequestCorrectionAsync(
            new RequestInformationCorrection { RequestNumber = filed.RequestNumber, Notice = "请写明所需信息的年份和文号", CorrectionWorkingDays = 10 },
            Clerk);

        Assert.Equal("AwaitingCorrection", notice.State);
        Assert.Equal("", notice.DueOn);
        Assert.Equal("2026-03-16", notice.CorrectionDueOn);
        host.Time.Set(2026, 3, 10);
        var corrected = await host.Public.SubmitCorrectionAsync(new SubmitInformationCorrection
        {
            RequestNumber = filed.RequestNumber,
            QueryCode = filed.QueryCode,
            Description = "2025 年度许可证核发统计表（海烟专〔2026〕1 号）",
        });
        Assert.Equal("Received", corrected.State);
        Assert.Equal("2026-03-10", corrected.ClockStartedOn);
        Assert.Equal("2026-04-08", corrected.DueOn); // 20 working days after 10 Mar, over Qingming (4–6 Apr)
        var again = await Samples.FailsAsync(() => host.Desk.RequestCorrectionAsync(
            new RequestInformationCorrection { RequestNumber = filed.RequestNumber, Notice = "再补正一次" }, Clerk).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, again.StatusCode);
        Assert.Contains("只能出具一次", again.Status.Detail);
        // The officer audit has the step beside the request's own history; a step refused by its own checks changes nothing there.
        var audited = Assert.Single(await AuditAsync(filed.RequestNumber));
        Assert.Equal(("CorrectionRequested", "done", RequestsHost.Haiyan), (audited.Action, audited.Outcome, audited.SubjectCounty));
        Assert.Contains("请写明所需信息的年份和文号", audited.Detail);
    }

    private Task<IReadOnlyList<AuditEntry>> AuditAsync(string requestNumber) =>
        host.Services.GetRequiredService<OfficerAudit<DisclosureModule>>().TrailAsync(requestNumber, CancellationToken.None);

    [Fact]
    public async Task Should_refuse_a_correction_notice_after_seven_working_days()
    {
        host.Time.Set(2026, 2, 13);
        var filed = await host.Public.FileRequestAsync(Samples.Person());
        host.Time.Set(2026, 3, 3);

        var late = await Samples.FailsAsync(() => host.Desk.RequestCorrectionAsync(
            new RequestInformationCorrection { RequestNumber = filed.RequestNumber, Notice = "请写明所需信息的年份" }, Clerk).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, late.StatusCode);
        Assert.Contains("2026-03-02", late.Status.Detail);
        Assert.Equal("Received", (await Get(filed.RequestNumber)).State);
    }

    [Fact]
    public async Task Should_not_count_the_third_party_consultation_and_extend_once_with_the_approver_recorded()
    {
        host.Time.Set(2026, 3, 2);
        var filed = await host.Public.FileRequestAsync(Samples.Organisation("LegalServiceInstitution"));
        Assert.Equal("2026-03-30", filed.Request.DueOn);
        host.Time.Set(2026, 3, 9); // 15 working days left (10 Mar – 30 Mar)

        var paused = await host.Desk.StartConsultationAsync(
            new StartThirdPartyConsultation { RequestNumber = filed.RequestNumber, ThirdParty = "某烟草零售户（商业秘密）" }, Clerk);
        Assert.True(paused.ClockPaused);
        Assert.Equal(15, paused.RemainingWorkingDays);
        Assert.Equal("2026-03-30", paused.ConsultationDueOn);

        var extended = await host.Desk.ExtendAsync(
            new ExtendInformationRequest { RequestNumber = filed.RequestNumber, ApprovedBy = "王局长", Reason = "需征求第三方意见，材料较多" }, Clerk);
        Assert.Equal(35, extended.RemainingWorkingDays);
        Assert.Equal("王局长", extended.ExtensionApprovedBy);

        host.Time.Set(2026, 3, 20);
        var resumed = await host.Desk.EndConsultationAsync(
            new EndThirdPartyConsultation { RequestNumber = filed.RequestNumber, Note = "第三方同意公开" }, Clerk);
        Assert.False(resumed.ClockPaused);
        Assert.Equal("2026-05-13", resumed.DueOn); // 35 working days after 20 Mar, over Qingming and May Day (Sat 9 May works)

        var twice = await Samples.FailsAsync(() => host.Desk.ExtendAsync(
            new ExtendInformationRequest { RequestNumber = filed.RequestNumber, ApprovedBy = "王局长", Reason = "再延一次" }, Clerk).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, twice.StatusCode);
        var audit = (await Get(filed.RequestNumber)).Steps;
        Assert.Equal(["Filed", "ConsultationStarted", "Extended", "ConsultationEnded"], audit.Select(s => s.Action));
        Assert.All(audit.Skip(1), s => Assert.Equal("officer-330424-disclosure-clerk", s.ActorId));
        Assert.All(audit, s => Assert.StartsWith("2026-03-", s.OccurredAt));
    }

    [Fact]
    public async Task Should_extend_a_running_clock_by_twenty_working_days()
    {
        host.Time.Set(2026, 2, 13);
        var filed = await host.Public.FileRequestAsync(Samples.Person());
        host.Time.Set(2026, 3, 19);

        var extended = await host.Desk.ExtendAsync(
            new ExtendInformationRequest { RequestNumber = filed.RequestNumber, ApprovedBy = "王局长", Reason = "涉及多个年度档案" }, Clerk);

        Assert.Equal("2026-04-17", extended.DueOn);
        Assert.True(extended.Extended);
        host.Time.Set(2026, 4, 20);
        var answered = await host.Desk.AnswerAsync(
            new AnswerInformationRequest { RequestNumber = filed.RequestNumber, Outcome = "Disclosed" }, Clerk);
        Assert.True(answered.AnsweredLate);
    }

    [Fact]
    public async Task Should_answer_once_with_grounds_and_refuse_every_later_step()
    {
        var filed = await host.Public.FileRequestAsync(Samples.Person());
        var noGrounds = await Samples.FailsAsync(() => host.Desk.AnswerAsync(
            new AnswerInformationRequest { RequestNumber = filed.RequestNumber, Outcome = "WithheldStateSecret" }, Clerk).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, noGrounds.StatusCode);
        var overdueByAnswer = await Samples.FailsAsync(() => host.Desk.AnswerAsync(
            new AnswerInformationRequest { RequestNumber = filed.RequestNumber, Outcome = "OtherOverdueCorrection", Reason = "未补正" }, Clerk).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, overdueByAnswer.StatusCode);
        var unclearWithoutCorrection = await Samples.FailsAsync(() => host.Desk.AnswerAsync(
            new AnswerInformationRequest { RequestNumber = filed.RequestNumber, Outcome = "UnavailableStillUnclear", Reason = "仍不明确" }, Clerk).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, unclearWithoutCorrection.StatusCode);

        var answered = await host.Desk.AnswerAsync(
            new AnswerInformationRequest { RequestNumber = filed.RequestNumber, Outcome = "PartlyDisclosed", Reason = "涉及个人隐私的部分不予公开（条例第十五条）" }, Clerk);
        Assert.Equal("Answered", answered.State);
        Assert.Equal("PartlyDisclosed", answered.Outcome);

        var again = await Samples.FailsAsync(() => host.Desk.AnswerAsync(
            new AnswerInformationRequest { RequestNumber = filed.RequestNumber, Outcome = "Disclosed" }, Clerk).ResponseAsync);
        var consult = await Samples.FailsAsync(() => host.Desk.StartConsultationAsync(
            new StartThirdPartyConsultation { RequestNumber = filed.RequestNumber, ThirdParty = "某公司" }, Clerk).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, again.StatusCode);
        Assert.Equal(StatusCode.FailedPrecondition, consult.StatusCode);
        var after = await Get(filed.RequestNumber);
        Assert.Equal("PartlyDisclosed", after.Outcome);
        Assert.Equal(answered.Version, after.Version);
    }

    [Fact]
    public async Task Should_close_as_overdue_correction_only_after_the_deadline()
    {
        host.Time.Set(2026, 3, 2);
        var filed = await host.Public.FileRequestAsync(Samples.Person());
        await host.Desk.RequestCorrectionAsync(
            new RequestInformationCorrection { RequestNumber = filed.RequestNumber, Notice = "请写明所需信息的年份", CorrectionWorkingDays = 5 }, Clerk);
        var early = await Samples.FailsAsync(() => host.Desk.CloseOverdueCorrectionAsync(
            new CloseOverdueCorrectionRequest { RequestNumber = filed.RequestNumber }, Clerk).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, early.StatusCode);
        host.Time.Set(2026, 3, 10);
        var tooLate = await Samples.FailsAsync(() => host.Public.SubmitCorrectionAsync(new SubmitInformationCorrection
        {
            RequestNumber = filed.RequestNumber,
            QueryCode = filed.QueryCode,
            Description = "补正后的描述，但已经过了期限",
        }).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, tooLate.StatusCode);

        var closed = await host.Desk.CloseOverdueCorrectionAsync(
            new CloseOverdueCorrectionRequest { RequestNumber = filed.RequestNumber, Note = "电话联系未果" }, Clerk);

        Assert.Equal("OtherOverdueCorrection", closed.Outcome);
        Assert.Equal("2026-03-10", closed.AnsweredOn);
    }

    [Fact]
    public async Task Should_refuse_other_counties_other_roles_and_callers_without_a_token()
    {
        var filed = await host.Public.FileRequestAsync(Samples.Person());
        var get = new GetInformationRequestRequest { RequestNumber = filed.RequestNumber };
        var answer = new AnswerInformationRequest { RequestNumber = filed.RequestNumber, Outcome = "Disclosed" };

        var otherCounty = await Samples.FailsAsync(() => host.Desk.AnswerAsync(answer, RequestsHost.Clerk(RequestsHost.Kunshan)).ResponseAsync);
        var otherCountyView = await Samples.FailsAsync(() => host.Desk.GetRequestAsync(get, RequestsHost.Clerk(RequestsHost.Kunshan)).ResponseAsync);
        var licensingClerk = await Samples.FailsAsync(() => host.Desk.AnswerAsync(answer,
            RequestsHost.Bearer(Tokens.OfficerFor(PermitsAudiences.Disclosure, RequestsHost.Haiyan, PermitsRoles.Clerk))).ResponseAsync);
        var otherAudience = await Samples.FailsAsync(() => host.Desk.AnswerAsync(answer,
            RequestsHost.Bearer(Tokens.OfficerFor(PermitsAudiences.Review, RequestsHost.Haiyan, PermitsRoles.DisclosureClerk))).ResponseAsync);
        var anonymous = await Samples.FailsAsync(() => host.Desk.AnswerAsync(answer).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, otherCounty.StatusCode);
        Assert.Contains("不属于本县", otherCounty.Status.Detail);
        Assert.Equal(StatusCode.PermissionDenied, otherCountyView.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, licensingClerk.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, otherAudience.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);
        // Both refusals are in the officer audit (in county-code order: they share the manual clock's instant).
        Assert.Equal(
            [("Answered", "refused", RequestsHost.Kunshan), ("Answered", "refused", RequestsHost.Haiyan)],
            (await AuditAsync(filed.RequestNumber)).Select(a => (a.Action, a.Outcome, a.OfficerCounty)).Order().ToList());
        var unchanged = await Get(filed.RequestNumber);
        Assert.Equal("Received", unchanged.State);
        Assert.Single(unchanged.Steps);
        var kunshanQueue = await host.Desk.ListQueueAsync(new ListInformationRequestsRequest { State = "All" }, RequestsHost.Clerk(RequestsHost.Kunshan));
        Assert.DoesNotContain(kunshanQueue.Requests, r => r.RequestNumber == filed.RequestNumber);
    }

    [Fact]
    public async Task Should_show_the_clerk_the_requesters_details_and_the_queue_by_due_date()
    {
        host.Time.Set(2026, 3, 2);
        var later = await host.Public.FileRequestAsync(Samples.Person());
        host.Time.Set(2026, 2, 13);
        var earlier = await host.Public.FileRequestAsync(Samples.Person());

        var view = await Get(earlier.RequestNumber);
        var queue = await host.Desk.ListQueueAsync(new ListInformationRequestsRequest(), Clerk);

        Assert.Equal(Samples.IdNumber, view.Requester.IdNumber);
        Assert.Equal("13800571234", view.Requester.Phone);
        var numbers = queue.Requests.Select(r => r.RequestNumber).ToList();
        Assert.True(numbers.IndexOf(earlier.RequestNumber) < numbers.IndexOf(later.RequestNumber));
        Assert.All(queue.Requests, r => Assert.NotEqual("Answered", r.State));
    }

    private Task<InformationRequestView> Get(string number) =>
        host.Desk.GetRequestAsync(new GetInformationRequestRequest { RequestNumber = number }, Clerk).ResponseAsync;
}

public sealed class When_the_clerk_works_a_request_on_PostgreSql(PostgresFixture fixture)
    : When_the_clerk_works_a_request(fixture.Host), IClassFixture<PostgresFixture>;

public sealed class When_the_clerk_works_a_request_on_Sqlite(SqliteFixture fixture)
    : When_the_clerk_works_a_request(fixture.Host), IClassFixture<SqliteFixture>;
