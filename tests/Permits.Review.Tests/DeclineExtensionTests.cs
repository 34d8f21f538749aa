using Grpc.Core;
using Google.Rpc;
using Permits.Contracts.Review.V1;
using Permits.Review.Features;

namespace Permits.Review.Tests;

/// <summary>
/// The head's "no" to an extension request: the case leaves the head's Extension step, the reason is in the history,
/// and only a head may answer, only a pending request, only with a reason.
/// </summary>
public abstract class When_the_head_declines_an_extension_request(string provider) : IAsyncLifetime
{
    private ReviewHost _host = null!;

    public async Task InitializeAsync() => _host = await ReviewHost.StartAsync(provider, ManualTime.AtChinaTime(2026, 11, 2));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static Metadata As(string officerId, string role, string name = "测试工作人员") =>
        OfficerTokens.Headers(OfficerTokens.For(officerId, role, Officers.Haiyan, name));

    private Task<ListQueueResponse> HeadQueueAsync() =>
        _host.Client.ListQueueAsync(new ListQueueRequest(), As("o-hy-head", "head")).ResponseAsync;

    private async Task<Case> RequestedAsync()
    {
        var opened = await _host.SubmitAsync();
        await _host.Client.AcceptAsync(Officers.Act(opened.CaseId, "clerk"));
        return await _host.Client.RequestExtensionAsync(
            new CaseActionRequest { CaseId = opened.CaseId, Note = "需等待规划部门出具意见" }, As("inspector-a", "inspector", "李核查"));
    }

    [Fact]
    public async Task Should_take_the_case_out_of_the_heads_queue_and_show_the_reason_in_the_history()
    {
        var requested = await RequestedAsync();
        var before = await HeadQueueAsync();

        var declined = await _host.Client.DeclineExtensionAsync(
            new CaseActionRequest { CaseId = requested.CaseId, Note = "规划意见不影响本案审批" }, As("o-hy-head", "head", "王审批"));
        var after = await HeadQueueAsync();
        var file = await _host.Client.GetCaseFileAsync(new GetCaseRequest { CaseId = requested.CaseId }, As("inspector-a", "inspector"));

        Assert.Equal(1, before.StepCounts["Extension"]);
        Assert.False(declined.ExtensionRequested);
        Assert.Equal("", declined.ExtensionRequestedBy);
        Assert.Equal("", declined.ExtensionDocumentNumber);
        Assert.Equal("UnderReview", declined.Stage);
        Assert.DoesNotContain(after.Cases, c => c.CaseId == requested.CaseId);
        Assert.Equal(0, after.StepCounts["Extension"]);
        var entry = Assert.Single(file.History, h => h.Action == "DeclineExtension");
        Assert.Equal("不同意延长审批期限", entry.ActionLabel);
        Assert.Equal("o-hy-head", entry.OfficerId);
        Assert.Equal("王审批", entry.OfficerName);
        Assert.NotNull(entry.At);
        Assert.Contains("规划意见不影响本案审批", entry.Detail);
        Assert.Contains("李核查（inspector-a）", entry.Detail);
        Assert.Contains("需等待规划部门出具意见", entry.Detail);
    }

    [Fact]
    public async Task Should_let_the_officers_ask_again_after_a_decline()
    {
        var requested = await RequestedAsync();
        await _host.Client.DeclineExtensionAsync(
            new CaseActionRequest { CaseId = requested.CaseId, Note = "理由不充分" }, As("o-hy-head", "head"));

        var again = await _host.Client.RequestExtensionAsync(
            new CaseActionRequest { CaseId = requested.CaseId, Note = "规划部门书面答复需十个工作日" }, As("reviewer-a", "reviewer"));

        Assert.True(again.ExtensionRequested);
        Assert.Equal("规划部门书面答复需十个工作日", again.ExtensionRequestReason);
    }

    [Fact]
    public async Task Should_refuse_and_audit_an_officer_who_is_not_a_head()
    {
        var requested = await RequestedAsync();

        var reviewer = await Assert.ThrowsAsync<RpcException>(() => _host.Client.DeclineExtensionAsync(
            new CaseActionRequest { CaseId = requested.CaseId, Note = "理由不充分" }, As("reviewer-a", "reviewer")).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, reviewer.StatusCode);
        Assert.True((await _host.GetAsync(requested.CaseId)).ExtensionRequested);
        Assert.Equal(1, await _host.CountAsync(
            "SELECT COUNT(*) FROM officer_audit WHERE subject_id = @Id AND action = 'DeclineExtension' AND outcome = 'refused' AND officer_id = 'reviewer-a'",
            new { Id = requested.CaseId }));
    }

    [Fact]
    public async Task Should_refuse_when_no_request_is_pending()
    {
        var opened = await _host.SubmitAsync();
        await _host.Client.AcceptAsync(Officers.Act(opened.CaseId, "clerk"));
        var requested = await RequestedAsync();
        await _host.Client.ExtendAsync(Officers.Act(requested.CaseId, "head", note: "同意延期"));

        var never = await Assert.ThrowsAsync<RpcException>(() => _host.Client.DeclineExtensionAsync(
            new CaseActionRequest { CaseId = opened.CaseId, Note = "理由不充分" }, As("o-hy-head", "head")).ResponseAsync);
        var granted = await Assert.ThrowsAsync<RpcException>(() => _host.Client.DeclineExtensionAsync(
            new CaseActionRequest { CaseId = requested.CaseId, Note = "理由不充分" }, As("o-hy-head", "head")).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, never.StatusCode);
        Assert.Equal(DeclineExtension.NoPendingRequest, never.Status.Detail);
        Assert.Equal(StatusCode.FailedPrecondition, granted.StatusCode);
        Assert.Equal(DeclineExtension.NoPendingRequest, granted.Status.Detail);
        Assert.Equal(0, await _host.CountAsync("SELECT COUNT(*) FROM officer_audit WHERE action = 'DeclineExtension' AND outcome = 'done'"));
    }

    [Fact]
    public async Task Should_refuse_a_blank_reason()
    {
        var requested = await RequestedAsync();

        var blank = await Assert.ThrowsAsync<RpcException>(() => _host.Client.DeclineExtensionAsync(
            new CaseActionRequest { CaseId = requested.CaseId, Note = "  " }, As("o-hy-head", "head")).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, blank.StatusCode);
        Assert.Equal("note", Assert.Single(blank.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations).Field);
        Assert.True((await _host.GetAsync(requested.CaseId)).ExtensionRequested);
    }
}

public sealed class When_the_head_declines_an_extension_request_on_sqlite() : When_the_head_declines_an_extension_request("Sqlite");

public sealed class When_the_head_declines_an_extension_request_on_postgresql() : When_the_head_declines_an_extension_request("PostgreSql");
