using Grpc.Core;
using Permits.Contracts.Review.V1;
using Permits.Shared.Domain;

namespace Permits.Review.Tests;

/// <summary>
/// Another county's officer sending a malformed action got INVALID_ARGUMENT (what the case would accept) where a
/// well-formed one got PERMISSION_DENIED: permission is now decided first, and the refusal audited.
/// </summary>
public sealed class When_another_countys_officer_sends_an_invalid_action : IAsyncLifetime
{
    private ReviewHost _host = null!;

    public async Task InitializeAsync() => _host = await ReviewHost.StartAsync("Sqlite", ManualTime.AtChinaTime(2026, 11, 2));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public static TheoryData<string> Actions() =>
        ["accept", "claim", "not accept", "request correction", "record opinion", "record inspection", "deny", "extend"];

    [Theory]
    [MemberData(nameof(Actions))]
    public async Task Should_answer_permission_denied_not_the_field_errors(string which)
    {
        var reviewCase = await _host.SubmitAsync();
        foreach (var role in new[] { "clerk", "inspector", "reviewer", "head" })
        {
            var stranger = OfficerTokens.Headers(OfficerTokens.For($"js-{role}", role, Officers.Jiashan));
            var act = Officers.Act(reviewCase.CaseId, role);
            act.Note = new string('长', 1001);
            Func<Task> call = which switch
            {
                "accept" => async () => await _host.Unsigned.AcceptAsync(act, stranger),
                "claim" => async () => await _host.Unsigned.ClaimAsync(act, stranger),
                "not accept" => async () => await _host.Unsigned.NotAcceptAsync(new ReasonedActionRequest { Action = act }, stranger),
                "request correction" => async () => await _host.Unsigned.RequestCorrectionAsync(new RequestCorrectionRequest { Action = act }, stranger),
                "record opinion" => async () => await _host.Unsigned.RecordOpinionAsync(new RecordOpinionRequest { Action = act, Recommendation = "Maybe" }, stranger),
                "record inspection" => async () => await _host.Unsigned.RecordInspectionAsync(new RecordInspectionRequest { Action = act, InspectedOn = "0001-01-01" }, stranger),
                "deny" => async () => await _host.Unsigned.DenyAsync(new ReasonedActionRequest { Action = act }, stranger),
                _ => async () => await _host.Unsigned.ExtendAsync(act, stranger),
            };

            var error = await Assert.ThrowsAsync<RpcException>(call);

            // A role that may never take this action is refused before anything else; every other role, by county.
            Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        }

        Assert.Equal("AwaitingAcceptance", (await _host.GetAsync(reviewCase.CaseId)).Stage);
        Assert.True(await _host.CountAsync("SELECT COUNT(*) FROM officer_audit WHERE outcome = 'refused'") >= 1);
    }
}

/// <summary>A NUL in an officer's text gave a 500 on PostgreSQL; every text is checked before the case is touched.</summary>
public sealed class When_an_officers_text_carries_a_nul_on_postgresql : IAsyncLifetime
{
    private ReviewHost _host = null!;

    public async Task InitializeAsync() => _host = await ReviewHost.StartAsync("PostgreSql", ManualTime.AtChinaTime(2026, 11, 2));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("items[0].reason")]
    [InlineData("opinion")]
    [InlineData("findings")]
    [InlineData("note")]
    public async Task Should_refuse_it_naming_the_field_and_leave_the_case_as_it_was(string field)
    {
        var reviewCase = await _host.SubmitAsync();
        var head = OfficerTokens.Headers(OfficerTokens.For("hy-head", "head", Officers.Haiyan));
        var act = Officers.Act(reviewCase.CaseId, "head");
        Func<Task> call = field switch
        {
            "items[0].reason" => async () => await _host.Unsigned.RequestCorrectionAsync(new RequestCorrectionRequest
            {
                Action = act, Items = { new Permits.Contracts.Review.V1.CorrectionItem { Material = "身份证明", Reason = "复印件\0不清晰" } },
            }, head),
            "opinion" => async () => await _host.Unsigned.RecordOpinionAsync(new RecordOpinionRequest
            {
                Action = act, Recommendation = "Approve", Opinion = "材料齐全\0",
            }, head),
            "findings" => async () => await _host.Unsigned.RecordInspectionAsync(new RecordInspectionRequest
            {
                Action = act, SecondInspectorId = "inspector-second", InspectedOn = "2026-11-02", Findings = "\0",
            }, head),
            _ => async () => { act.Note = "受理\0"; await _host.Unsigned.AcceptAsync(act, head); },
        };

        var error = await Assert.ThrowsAsync<RpcException>(call);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var violations = error.GetRpcStatus()!.GetDetail<Google.Rpc.BadRequest>()!.FieldViolations;
        Assert.Equal(field, Assert.Single(violations).Field);
        Assert.Equal("AwaitingAcceptance", (await _host.GetAsync(reviewCase.CaseId)).Stage);
    }
}
