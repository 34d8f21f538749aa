using Grpc.Core;
using CorrectionRequested = Permits.Contracts.Review.CorrectionRequested;
using ApplicationNotAccepted = Permits.Contracts.Review.ApplicationNotAccepted;
using Permits.Contracts.Intake.V1;
using Permits.Testing;

namespace Permits.Intake.Tests;

public abstract class When_review_asks_for_corrections(string provider) : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private IntakeHost _host = null!;

    public async Task InitializeAsync() => _host = await IntakeHost.StartAsync(provider);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<(SubmitApplicationResponse Submitted, Application Seen)> RequestCorrectionsAsync(params CorrectionItem[] items)
    {
        var submitted = await _host.Client.SubmitAsync(SampleApplications.Individual(), IntakeHost.As());
        await _host.PublishAsync(new CorrectionRequested(
            Guid.Parse(submitted.ApplicationId), Guid.NewGuid(), "330424", "盐烟补正〔2026〕1号",
            items.Select(i => new Permits.Contracts.Review.CorrectionItem(i.Material, i.Reason)).ToList(),
            "officer-330424-clerk", DateTimeOffset.UtcNow));
        var seen = await Eventually.GetAsync(
            async () => await _host.Client.GetMyApplicationAsync(new GetApplicationRequest { ApplicationId = submitted.ApplicationId }, IntakeHost.As()),
            a => a.Status == "CorrectionRequested", Wait, "the correction notice to reach Intake");
        return (submitted, seen);
    }

    [Fact]
    public async Task Should_show_every_item_at_once_and_return_to_review_after_resubmission()
    {
        var (submitted, seen) = await RequestCorrectionsAsync(
            new CorrectionItem { Material = "场所使用证明", Reason = "租赁合同未盖章" },
            new CorrectionItem { Material = "经营面积", Reason = "与平面图不符" });

        Assert.Equal(["场所使用证明", "经营面积"], seen.Corrections.Select(c => c.Material));
        Assert.Equal("盐烟补正〔2026〕1号", seen.CorrectionDocumentNumber);
        Assert.True(seen.CanResubmit);
        var outboxBefore = await _host.CountAsync("outbox_messages");

        var form = seen.Form.Clone();
        form.FloorArea = "38";
        var after = await _host.Client.ResubmitAsync(
            new ResubmitApplicationRequest { ApplicationId = submitted.ApplicationId, Form = form }, IntakeHost.As());

        Assert.Equal("Resubmitted", after.Status);
        Assert.Empty(after.Corrections);
        Assert.Equal("38", after.Form.FloorArea);
        Assert.Equal(["Submitted", "CorrectionRequested", "Resubmitted"], after.History.Select(h => h.Status));
        Assert.Equal(outboxBefore + 1, await _host.CountAsync("outbox_messages"));
        Assert.Equal(1, await _host.ScalarAsync<long>(
            "SELECT COUNT(*) FROM outbox_messages WHERE message_type LIKE '%ApplicationResubmitted%'"));
    }

    [Fact]
    public async Task Should_answer_a_repeated_resubmission_as_the_first_and_refuse_a_different_one()
    {
        var (submitted, seen) = await RequestCorrectionsAsync(new CorrectionItem { Material = "经营面积", Reason = "与平面图不符" });
        var form = seen.Form.Clone();
        form.FloorArea = "38";
        var resubmit = new ResubmitApplicationRequest { ApplicationId = submitted.ApplicationId, Form = form };

        var first = await _host.Client.ResubmitAsync(resubmit, IntakeHost.As());
        var doubleClick = await _host.Client.ResubmitAsync(resubmit, IntakeHost.As());

        Assert.Equal("Resubmitted", doubleClick.Status);
        Assert.Equal(first.History.Count, doubleClick.History.Count);
        Assert.Equal(1, await _host.ScalarAsync<long>(
            "SELECT COUNT(*) FROM outbox_messages WHERE message_type LIKE '%ApplicationResubmitted%'"));

        form.FloorArea = "40";
        var changed = await Assert.ThrowsAsync<RpcException>(() => _host.Client.ResubmitAsync(
            new ResubmitApplicationRequest { ApplicationId = submitted.ApplicationId, Form = form }, IntakeHost.As()).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, changed.StatusCode);
        Assert.Equal("38", (await _host.Client.GetMyApplicationAsync(
            new GetApplicationRequest { ApplicationId = submitted.ApplicationId }, IntakeHost.As())).Form.FloorArea);
    }

    [Fact]
    public async Task Should_refuse_a_bad_correction_and_keep_the_items_open()
    {
        var (submitted, seen) = await RequestCorrectionsAsync(new CorrectionItem { Material = "身份证", Reason = "号码有误" });
        var form = seen.Form.Clone();
        form.IdNumber = "330424198001010013";

        var error = await Assert.ThrowsAsync<RpcException>(() => _host.Client.ResubmitAsync(
            new ResubmitApplicationRequest { ApplicationId = submitted.ApplicationId, Form = form }, IntakeHost.As()).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var still = await _host.Client.GetMyApplicationAsync(new GetApplicationRequest { ApplicationId = submitted.ApplicationId }, IntakeHost.As());
        Assert.Equal("CorrectionRequested", still.Status);
        Assert.Single(still.Corrections);
    }

    [Fact]
    public async Task Should_refuse_a_resubmission_nobody_asked_for()
    {
        var submitted = await _host.Client.SubmitAsync(SampleApplications.Individual(), IntakeHost.As());

        var error = await Assert.ThrowsAsync<RpcException>(() => _host.Client.ResubmitAsync(
            new ResubmitApplicationRequest { ApplicationId = submitted.ApplicationId, Form = SampleApplications.Individual() }, IntakeHost.As()).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
    }
}

public sealed class When_review_asks_for_corrections_on_sqlite() : When_review_asks_for_corrections("Sqlite");

public sealed class When_review_asks_for_corrections_on_postgresql() : When_review_asks_for_corrections("PostgreSql");

public abstract class When_a_shopkeeper_withdraws(string provider) : IAsyncLifetime
{
    private IntakeHost _host = null!;

    public async Task InitializeAsync() => _host = await IntakeHost.StartAsync(provider);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Should_withdraw_once_announce_it_and_disclose_it()
    {
        var submitted = await _host.Client.SubmitAsync(SampleApplications.Individual(), IntakeHost.As());
        var before = await _host.CountAsync("outbox_messages");

        var withdrawn = await _host.Client.WithdrawAsync(
            new WithdrawApplicationRequest { ApplicationId = submitted.ApplicationId, Reason = "不开店了" }, IntakeHost.As());
        var again = await Assert.ThrowsAsync<RpcException>(() => _host.Client.WithdrawAsync(
            new WithdrawApplicationRequest { ApplicationId = submitted.ApplicationId }, IntakeHost.As()).ResponseAsync);

        Assert.Equal("Withdrawn", withdrawn.Status);
        Assert.False(withdrawn.CanWithdraw);
        Assert.Equal(StatusCode.FailedPrecondition, again.StatusCode);
        // ApplicationWithdrawn and its disclosure record.
        Assert.Equal(before + 2, await _host.CountAsync("outbox_messages"));
    }

    [Fact]
    public async Task Should_not_let_a_late_refusal_or_step_move_a_withdrawn_application()
    {
        var submitted = await _host.Client.SubmitAsync(SampleApplications.Individual(), IntakeHost.As());
        await _host.Client.WithdrawAsync(new WithdrawApplicationRequest { ApplicationId = submitted.ApplicationId }, IntakeHost.As());

        await _host.PublishAsync(new ApplicationNotAccepted(
            Guid.Parse(submitted.ApplicationId), Guid.NewGuid(), "330424", "盐烟不受〔2026〕1号", ["材料不全"],
            "如不服，可依法申请行政复议或者提起行政诉讼。", "officer", DateTimeOffset.UtcNow));
        var seen = await Eventually.GetAsync(
            async () => await _host.Client.GetApplicationAsync(new GetApplicationRequest { ApplicationId = submitted.ApplicationId, QueryCode = submitted.QueryCode }),
            a => a.History.Count == 3, TimeSpan.FromSeconds(20), "the late refusal to be recorded");

        Assert.Equal("Withdrawn", seen.Status);
    }

    [Fact]
    public async Task Should_follow_a_refusal_to_accept()
    {
        var submitted = await _host.Client.SubmitAsync(SampleApplications.Individual(), IntakeHost.As());

        await _host.PublishAsync(new ApplicationNotAccepted(
            Guid.Parse(submitted.ApplicationId), Guid.NewGuid(), "330424", "盐烟不受〔2026〕2号", ["不属于本机关职权范围"],
            "如不服，可依法申请行政复议或者提起行政诉讼。", "officer", DateTimeOffset.UtcNow));
        var seen = await Eventually.GetAsync(
            async () => await _host.Client.GetMyApplicationAsync(new GetApplicationRequest { ApplicationId = submitted.ApplicationId }, IntakeHost.As()),
            a => a.Status == "NotAccepted", TimeSpan.FromSeconds(20), "the refusal to reach Intake");

        Assert.Contains("盐烟不受〔2026〕2号", seen.History.Last().Note);
        Assert.False(seen.CanWithdraw);
    }
}

public sealed class When_a_shopkeeper_withdraws_on_sqlite() : When_a_shopkeeper_withdraws("Sqlite");

public sealed class When_a_shopkeeper_withdraws_on_postgresql() : When_a_shopkeeper_withdraws("PostgreSql");
