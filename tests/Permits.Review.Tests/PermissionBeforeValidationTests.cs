using Grpc.Core;
using Permits.Contracts.Review.V1;

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
        Assert.True(await _host.CountAsync("SELECT COUNT(*) FROM review_audit WHERE outcome = 'Refused'") >= 1);
    }
}
