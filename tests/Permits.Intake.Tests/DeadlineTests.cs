using Permits.Contracts.Delivery;
using Permits.Contracts.Intake.V1;
using Permits.Contracts.Review;
using Permits.Shared.Domain;
using Permits.Testing;
using CorrectionItem = Permits.Contracts.Review.CorrectionItem;

namespace Permits.Intake.Tests;

/// <summary>
/// The applicant's page shows the bureau's next legal deadline (受理期限, 审批期限, 送达期限), paused while a correction is
/// owed, moved by an extension; the shipment's progress is part of the history.
/// </summary>
public abstract class When_the_legal_clock_runs(string provider) : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private static readonly WorkingDayCalendar Calendar = WorkingDayCalendar.LoadEmbedded();
    private IntakeHost _host = null!;

    public async Task InitializeAsync() => _host = await IntakeHost.StartAsync(provider);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));

    private static string Date(DateOnly day) => day.ToString("yyyy-MM-dd");

    private Task<Application> MineAsync(string id) =>
        _host.Client.GetMyApplicationAsync(new GetApplicationRequest { ApplicationId = id }, IntakeHost.As()).ResponseAsync;

    private Task<Application> UntilAsync(string id, Func<Application, bool> ready, string what) =>
        Eventually.GetAsync(async () => await MineAsync(id), ready, Wait, what);

    [Fact]
    public async Task Should_show_the_acceptance_deadline_pause_it_for_a_correction_and_resume_it()
    {
        var submitted = await _host.Client.SubmitAsync(SampleApplications.Individual(), IntakeHost.As());
        var id = Guid.Parse(submitted.ApplicationId);

        var received = await MineAsync(submitted.ApplicationId);
        var acceptBy = Calendar.AddWorkingDays(Today, 5);
        Assert.Equal("Acceptance", received.NextDeadlineKind);
        Assert.Equal("受理期限", received.NextDeadlineLabel);
        Assert.Equal(Date(acceptBy.Date), received.NextDeadline);
        Assert.Equal(acceptBy.Provisional, received.NextDeadlineProvisional);
        var seenByThePublic = await _host.Client.GetApplicationAsync(new GetApplicationRequest { ApplicationNumber = submitted.ApplicationNumber, QueryCode = submitted.QueryCode });
        Assert.Equal(Date(acceptBy.Date), seenByThePublic.NextDeadline);

        await _host.PublishAsync(new CorrectionRequested(id, Guid.NewGuid(), "330424", "盐烟补正〔2026〕9号",
            [new CorrectionItem("营业执照", "请上传清晰的副本")], "officer-330424-clerk", DateTimeOffset.UtcNow));
        var paused = await UntilAsync(submitted.ApplicationId, a => a.Status == "CorrectionRequested", "the correction notice");
        Assert.True(paused.DeadlinePaused);
        Assert.Equal(5, paused.DeadlineRemainingWorkingDays);

        var resubmitted = await _host.Client.ResubmitAsync(
            new ResubmitApplicationRequest { ApplicationId = submitted.ApplicationId, Form = paused.Form }, IntakeHost.As());
        Assert.False(resubmitted.DeadlinePaused);
        Assert.Equal(Date(Calendar.AddWorkingDays(Today, 5).Date), resubmitted.NextDeadline);
    }

    [Fact]
    public async Task Should_follow_the_decision_date_review_sets_and_extends_then_the_service_deadline()
    {
        var submitted = await _host.Client.SubmitAsync(SampleApplications.Individual(), IntakeHost.As());
        var id = Guid.Parse(submitted.ApplicationId);
        var decideBy = Today.AddDays(30);
        var extendedTo = Today.AddDays(44);

        await _host.PublishAsync(new ApplicationAccepted(id, Guid.NewGuid(), "330424", "盐烟受〔2026〕9号", "officer-330424-clerk",
            DateTimeOffset.UtcNow, decideBy, DueDateProvisional: false) { PromisedDecisionDueBy = Today.AddDays(21) });
        var accepted = await UntilAsync(submitted.ApplicationId, a => a.Status == "Accepted", "the acceptance");
        Assert.Equal("Decision", accepted.NextDeadlineKind);
        Assert.Equal(Date(decideBy), accepted.NextDeadline);
        // The county's shorter promise (承诺时限) beside the legal deadline, while the decision is pending.
        Assert.Equal(Date(Today.AddDays(21)), accepted.PromisedDecisionDueBy);

        await _host.PublishAsync(new DecisionPeriodExtended(id, Guid.NewGuid(), "330424", "盐烟延〔2026〕1号", "需补充核查",
            "officer-330424-head", DateTimeOffset.UtcNow, extendedTo, DueDateProvisional: true));
        var extended = await UntilAsync(submitted.ApplicationId, a => a.NextDeadline == Date(extendedTo), "the extension");
        Assert.Equal(Date(extendedTo), extended.DecisionDueBy);
        Assert.True(extended.NextDeadlineProvisional);
        Assert.Equal("Accepted", extended.Status);
        Assert.Contains(extended.History, h => h.Status == "Extended" && h.Note.Contains("盐烟延〔2026〕1号"));
        Assert.Equal(
            [("受理通知书", "盐烟受〔2026〕9号"), ("延长审批期限告知书", "盐烟延〔2026〕1号")],
            extended.History.Where(h => h.DocumentNumber.Length > 0).Select(h => (h.DocumentTitle, h.DocumentNumber)));

        await _host.PublishAsync(new LicenceApproved(id, Guid.NewGuid(), submitted.ApplicationNumber, "330424", "IndividualBusiness",
            "海盐县武原街道惠民便利店", null, "王建国", "浙江省嘉兴市海盐县武原街道向阳路 18 号", null, "盐烟许〔2026〕9号",
            "officer-330424-head", DateTimeOffset.UtcNow, Today.AddDays(14)));
        var approved = await UntilAsync(submitted.ApplicationId, a => a.Status == "Approved", "the approval");
        Assert.Equal("Service", approved.NextDeadlineKind);
        Assert.Equal(Date(Today.AddDays(14)), approved.NextDeadline);
        Assert.Equal("送达期限", approved.NextDeadlineLabel);
        Assert.Equal("", approved.PromisedDecisionDueBy);
    }

    [Fact]
    public async Task Should_show_the_shipment_progress_to_the_owner_only_and_the_pickup()
    {
        var submitted = await _host.Client.SubmitAsync(SampleApplications.Individual(), IntakeHost.As());
        var id = Guid.Parse(submitted.ApplicationId);

        // The tracking step is consumed before the pickup notice is sent, so the two cannot race.
        await _host.PublishAndWaitAsync(new ShipmentProgressed(Guid.NewGuid(), id, "SF1234567890", "InTransit", "快件已到达海盐转运中心", DateTimeOffset.UtcNow), Guid.NewGuid());
        await _host.PublishAsync(new ShipmentAwaitingPickup(Guid.NewGuid(), id, "330424", "海盐县政务服务中心一楼烟草窗口", true, DateTimeOffset.UtcNow.AddSeconds(1)));

        var mine = await UntilAsync(submitted.ApplicationId, a => a.Status == "AwaitingPickup", "the pickup notice");
        Assert.Contains(mine.History, h => h.Status == "Tracking" && h.Note.Contains("海盐转运中心"));
        Assert.Equal("待窗口领取", mine.StatusLabel);
        var seenByThePublic = await _host.Client.GetApplicationAsync(new GetApplicationRequest { ApplicationNumber = submitted.ApplicationNumber, QueryCode = submitted.QueryCode });
        Assert.DoesNotContain("转运中心", seenByThePublic.ToString());
    }
}

public sealed class When_the_legal_clock_runs_on_sqlite() : When_the_legal_clock_runs("Sqlite");

public sealed class When_the_legal_clock_runs_on_postgresql() : When_the_legal_clock_runs("PostgreSql");
