using Grpc.Core;
using Permits.Contracts.Review.V1;
using Permits.Review.Domain;
using CorrectionItem = Permits.Contracts.Review.V1.CorrectionItem;

namespace Permits.Review.Tests;

/// <summary>Every role × every action × own/other county, over real gRPC: allowed calls succeed, others are refused and audited.</summary>
public sealed class When_officers_of_every_role_and_county_call_every_action : IAsyncLifetime
{
    private static readonly string[] Roles = ["clerk", "inspector", "reviewer", "head"];

    private ReviewHost _host = null!;

    public async Task InitializeAsync() => _host = await ReviewHost.StartAsync("Sqlite", ManualTime.AtChinaTime(2026, 11, 2));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>Each action with the stage its case must be in and the call that performs it.</summary>
    private static readonly (ReviewAction Action, bool NeedsAcceptance, Func<Cases.CasesClient, CaseActionRequest, Task> Call)[] Actions =
    [
        (ReviewAction.ViewQueue, false, async (c, a) => await c.ListQueueAsync(new ListQueueRequest
        {
            CountyCode = Officers.Haiyan, OfficerId = a.OfficerId, OfficerRole = a.OfficerRole, OfficerCountyCode = a.OfficerCountyCode,
        })),
        (ReviewAction.ViewCase, false, async (c, a) => await c.CheckLayoutAsync(new CheckLayoutRequest
        {
            Action = a, Latitude = 30.5265, Longitude = 120.9430,
        })),
        (ReviewAction.Claim, false, async (c, a) => await c.ClaimAsync(a)),
        (ReviewAction.Release, false, async (c, a) => await c.ReleaseAsync(a)),
        (ReviewAction.Accept, false, async (c, a) => await c.AcceptAsync(a)),
        (ReviewAction.NotAccept, false, async (c, a) => await c.NotAcceptAsync(new ReasonedActionRequest { Action = a, Reasons = { "不属于本机关职权范围" } })),
        (ReviewAction.RequestCorrection, false, async (c, a) => await c.RequestCorrectionAsync(new RequestCorrectionRequest
        {
            Action = a, Items = { new CorrectionItem { Material = "身份证明", Reason = "复印件不清晰" } },
        })),
        (ReviewAction.RecordInspection, true, async (c, a) => await c.RecordInspectionAsync(new RecordInspectionRequest
        {
            Action = a, SecondInspectorId = "inspector-second", InspectedOn = "2026-11-02", Findings = "场所独立，与住所分开",
            MeasuredFloorArea = 32.5, Distances = { new MeasuredDistance { Target = "最近零售户", Meters = 120 } },
            PremisesCompliant = true,
        })),
        (ReviewAction.RecordOpinion, true, async (c, a) => await c.RecordOpinionAsync(new RecordOpinionRequest
        {
            Action = a, Recommendation = "Approve", Opinion = "材料齐全，符合条件",
        })),
        (ReviewAction.Approve, true, async (c, a) => await c.ApproveAsync(a)),
        (ReviewAction.Deny, true, async (c, a) => await c.DenyAsync(new ReasonedActionRequest { Action = a, Reasons = { "距学校不足 50 米" } })),
        (ReviewAction.Extend, true, async (c, a) => { a.Note = "需补充核查"; await c.ExtendAsync(a); }),
    ];

    [Fact]
    public async Task Should_allow_exactly_what_the_policy_allows_and_audit_every_refusal()
    {
        var refusals = 0;
        var cells = 0;
        foreach (var (action, needsAcceptance, call) in Actions)
        {
            foreach (var role in Roles)
            {
                foreach (var county in new[] { Officers.Haiyan, Officers.Jiashan })
                {
                    var reviewCase = await _host.SubmitAsync();
                    if (needsAcceptance)
                    {
                        reviewCase = await _host.Client.AcceptAsync(Officers.Act(reviewCase.CaseId, "clerk"));
                    }

                    Assert.True(OfficerContext.TryParseRole(role, out var parsed));
                    var allowed = ReviewPolicy.Decide(
                        new OfficerContext("x", "", parsed, county, ""), action, Officers.Haiyan).Allowed;
                    var request = Officers.Act(reviewCase.CaseId, role, county);
                    if (action == ReviewAction.Release)
                    {
                        // Only a holder can release: give the case to the caller first.
                        await using var connection = _host.Open();
                        await Dapper.SqlMapper.ExecuteAsync(connection,
                            "UPDATE review_cases SET claimed_by = @Officer, claim_expires_at = @Until WHERE id = @Id",
                            new { Officer = request.OfficerId, Until = DateTimeOffset.UtcNow.AddYears(1), Id = Guid.Parse(reviewCase.CaseId) });
                    }

                    cells++;
                    if (allowed)
                    {
                        await call(_host.Client, request);
                        continue;
                    }

                    var error = await Assert.ThrowsAsync<RpcException>(() => call(_host.Client, request));
                    Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
                    Assert.False(string.IsNullOrWhiteSpace(error.Status.Detail));
                    refusals++;
                    var unchanged = await _host.GetAsync(reviewCase.CaseId);
                    Assert.Equal(reviewCase.Stage, unchanged.Stage);
                    Assert.Equal(reviewCase.DueBy, unchanged.DueBy);
                    var audited = await _host.QueryAsync<AuditRow>(
                        $"SELECT {AuditRow.Columns} FROM review_audit WHERE officer_id = @Officer AND action = @Action AND outcome = 'Refused' AND officer_county = @County",
                        new { Officer = request.OfficerId, Action = action.ToString(), County = county });
                    Assert.NotEmpty(audited);
                    Assert.All(audited, a => Assert.StartsWith("ipv4:127.0.0.1", a.PeerAddress));
                    Assert.All(audited, a => Assert.Equal(role, a.OfficerRole));
                }
            }
        }

        Assert.Equal(Actions.Length * Roles.Length * 2, cells);
        Assert.Equal(refusals, await _host.CountAsync("SELECT COUNT(*) FROM review_audit WHERE outcome = 'Refused'"));
        // Own county: every role may view the queue and cases, claim and release (16 cells); one role each for the
        // eight steps. Other county: all 48 refused.
        Assert.Equal(96 - 24, refusals);
    }

    [Fact]
    public async Task Should_refuse_a_caller_who_names_no_known_officer_and_audit_it()
    {
        var reviewCase = await _host.SubmitAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            _host.Client.AcceptAsync(new CaseActionRequest { CaseId = reviewCase.CaseId, OfficerId = "nobody" }).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Equal(1, await _host.CountAsync("SELECT COUNT(*) FROM review_audit WHERE officer_id = 'nobody' AND outcome = 'Refused'"));
    }

    [Fact]
    public async Task Should_let_a_roster_officer_act_by_id_alone()
    {
        var reviewCase = await _host.SubmitAsync();

        var accepted = await _host.Client.AcceptAsync(new CaseActionRequest { CaseId = reviewCase.CaseId, OfficerId = "clerk-01" });

        Assert.Equal("UnderReview", accepted.Stage);
    }
}
