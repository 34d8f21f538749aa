using Grpc.Core;
using Permits.Contracts.Review.V1;
using Permits.Review.Domain;
using Permits.Shared.Steps;
using CorrectionItem = Permits.Contracts.Review.V1.CorrectionItem;
using Permits.Shared.Domain;

namespace Permits.Review.Tests;

/// <summary>Every role × every action × own/other county, over real gRPC: allowed calls succeed, others are refused and audited.</summary>
public sealed class When_officers_of_every_role_and_county_call_every_action : IAsyncLifetime
{
    private static readonly string[] Roles = ["clerk", "inspector", "reviewer", "head"];

    private ReviewHost _host = null!;

    public async Task InitializeAsync() => _host = await ReviewHost.StartAsync("Sqlite", ManualTime.AtChinaTime(2026, 11, 2));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>Each action with the stage its case must be in and the call that performs it.</summary>
    private static readonly (OfficerStep Action, bool NeedsAcceptance, Func<Cases.CasesClient, CaseActionRequest, Task> Call)[] Actions =
    [
        (ReviewSteps.ViewQueue, false, async (c, a) => await c.ListQueueAsync(new ListQueueRequest
        {
            CountyCode = Officers.Haiyan, OfficerId = a.OfficerId, OfficerRole = a.OfficerRole, OfficerCountyCode = a.OfficerCountyCode,
        })),
        (ReviewSteps.ViewCase, false, async (c, a) => await c.CheckLayoutAsync(new CheckLayoutRequest
        {
            Action = a, Latitude = 30.5265, Longitude = 120.9430,
        })),
        (ReviewSteps.Claim, false, async (c, a) => await c.ClaimAsync(a)),
        (ReviewSteps.Release, false, async (c, a) => await c.ReleaseAsync(a)),
        (ReviewSteps.Accept, false, async (c, a) => await c.AcceptAsync(a)),
        (ReviewSteps.NotAccept, false, async (c, a) => await c.NotAcceptAsync(new ReasonedActionRequest { Action = a, Reasons = { "不属于本机关职权范围" }, GroundCodes = { "NotInScope" } })),
        (ReviewSteps.RequestCorrection, false, async (c, a) => await c.RequestCorrectionAsync(new RequestCorrectionRequest
        {
            Action = a, Items = { new CorrectionItem { Material = "身份证明", Reason = "复印件不清晰" } },
        })),
        (ReviewSteps.RecordInspection, true, async (c, a) => await c.RecordInspectionAsync(new RecordInspectionRequest
        {
            Action = a, SecondInspectorId = ReviewHost.SecondInspector(), InspectedOn = "2026-11-02", Findings = "场所独立，与住所分开",
            MeasuredFloorArea = 32.5, Distances = { new MeasuredDistance { Target = "最近零售户", Meters = 120 } },
            PremisesCompliant = true, Latitude = 30.4102, Longitude = 120.8107,
        })),
        (ReviewSteps.RecordOpinion, true, async (c, a) => await c.RecordOpinionAsync(new RecordOpinionRequest
        {
            Action = a, Recommendation = "Approve", Opinion = "材料齐全，符合条件",
        })),
        (ReviewSteps.Approve, true, async (c, a) => await c.ApproveAsync(a)),
        (ReviewSteps.Deny, true, async (c, a) => await c.DenyAsync(new ReasonedActionRequest { Action = a, Reasons = { "距学校不足 50 米" }, GroundCodes = { "NearSchool" } })),
        (ReviewSteps.Extend, true, async (c, a) => { a.Note = "需补充核查"; await c.ExtendAsync(a); }),
        (ReviewSteps.RequestExtension, true, async (c, a) => { a.Note = "需等待规划部门意见"; await c.RequestExtensionAsync(a); }),
        (ReviewSteps.DeclineExtension, true, async (c, a) =>
        {
            // Only a pending request can be declined: an inspector asks first.
            await c.RequestExtensionAsync(Officers.Act(a.CaseId, "inspector", note: "需等待规划部门意见"));
            a.Note = "理由不充分";
            await c.DeclineExtensionAsync(a);
        }),
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

                    if (action == ReviewSteps.Approve || action == ReviewSteps.Deny)
                    {
                        // A decision needs the inspection and the opinion on record: only the role may then refuse it.
                        reviewCase = await _host.InspectAndReviewAsync(reviewCase.CaseId);
                    }

                    var allowed = OfficerGuard.Decide(
                        new Officer("x", "", new HashSet<string> { role }, county), action, Officers.Haiyan).Allowed;
                    var request = Officers.Act(reviewCase.CaseId, role, county);
                    if (action == ReviewSteps.Release)
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
                    var audited = await _host.QueryAsync<AuditEntry>(
                        $"SELECT {AuditEntry.Columns} FROM officer_audit WHERE officer_id = @Officer AND action = @Action AND outcome = 'refused' AND officer_county = @County",
                        new { Officer = request.OfficerId, Action = action.Code, County = county });
                    Assert.NotEmpty(audited);
                    Assert.All(audited, a => Assert.StartsWith("ipv4:127.0.0.1", a.PeerAddress));
                    Assert.All(audited, a => Assert.Equal(role, a.OfficerRole));
                    Assert.All(audited, a => Assert.Equal(Officers.Haiyan, a.SubjectCounty));
                    Assert.All(audited, a => Assert.Equal(error.Status.Detail, a.Detail));
                    if (action != ReviewSteps.ViewQueue)
                    {
                        Assert.All(audited, a => Assert.Equal(reviewCase.CaseId, a.SubjectId));
                    }
                }
            }
        }

        Assert.Equal(Actions.Length * Roles.Length * 2, cells);
        Assert.Equal(refusals, await _host.CountAsync("SELECT COUNT(*) FROM officer_audit WHERE outcome = 'refused'"));
        // Own county: every role may view the queue and cases, claim and release (16 cells); one role each for the
        // nine steps (the head declining an extension among them); inspector and reviewer may ask for an extension (2).
        // Other county: all 56 refused.
        Assert.Equal(112 - 27, refusals);
    }

    [Fact]
    public async Task Should_refuse_a_token_without_an_officer_role_and_audit_it()
    {
        var reviewCase = await _host.SubmitAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => _host.Unsigned.AcceptAsync(
            new CaseActionRequest { CaseId = reviewCase.CaseId },
            OfficerTokens.Headers(OfficerTokens.For("nobody", null, Officers.Haiyan))).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Equal(1, await _host.CountAsync(
            "SELECT COUNT(*) FROM officer_audit WHERE officer_id = 'nobody' AND outcome = 'refused' AND subject_id = @Id AND officer_role = 'unknown'",
            new { Id = reviewCase.CaseId }));
        Assert.Equal("AwaitingAcceptance", (await _host.GetAsync(reviewCase.CaseId)).Stage);
    }

    [Fact]
    public async Task Should_answer_unauthenticated_without_a_valid_token()
    {
        var reviewCase = await _host.SubmitAsync();
        var expired = Testing.Tokens.Mint("permits-review", "clerk-old", "过期", ["clerk"],
            new() { ["county"] = Officers.Haiyan }, lifetime: TimeSpan.FromMinutes(-10));
        var stranger = Testing.Tokens.Mint("permits-review", "clerk-x", "外来", ["clerk"],
            new() { ["county"] = Officers.Haiyan }, issuer: "https://elsewhere.example/");
        var otherApi = Testing.Tokens.OfficerFor("permits-intake", Officers.Haiyan, "clerk");

        // No token at all, though the request names a clerk of the county: the request's fields count for nothing.
        var none = await Assert.ThrowsAsync<RpcException>(() => _host.Unsigned.AcceptAsync(Officers.Act(reviewCase.CaseId, "clerk")).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, none.StatusCode);
        foreach (var token in new[] { expired, stranger, otherApi, "not-a-token" })
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => _host.Unsigned.AcceptAsync(
                Officers.Act(reviewCase.CaseId, "clerk"), OfficerTokens.Headers(token)).ResponseAsync);
            Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        }

        var queue = await Assert.ThrowsAsync<RpcException>(() => _host.Unsigned.ListQueueAsync(new ListQueueRequest { CountyCode = Officers.Haiyan }).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, queue.StatusCode);
        var read = await Assert.ThrowsAsync<RpcException>(() => _host.Unsigned.GetCaseAsync(new GetCaseRequest { CaseId = reviewCase.CaseId }).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, read.StatusCode);
        Assert.Equal("AwaitingAcceptance", (await _host.GetAsync(reviewCase.CaseId)).Stage);
    }

    [Fact]
    public async Task Should_act_as_the_token_says_whatever_the_request_claims()
    {
        var reviewCase = await _host.SubmitAsync();
        var jiashanClerk = OfficerTokens.Headers(OfficerTokens.For("js-clerk", "clerk", Officers.Jiashan));

        // The request names a Haiyan head; the token is a Jiashan clerk's: refused as the Jiashan clerk.
        var error = await Assert.ThrowsAsync<RpcException>(() => _host.Unsigned.AcceptAsync(
            Officers.Act(reviewCase.CaseId, "head"), jiashanClerk).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        var audited = await _host.QueryAsync<AuditEntry>(
            $"SELECT {AuditEntry.Columns} FROM officer_audit WHERE outcome = 'refused' AND action = 'Accept'");
        var refusal = Assert.Single(audited);
        Assert.Equal("js-clerk", refusal.OfficerId);
        Assert.Equal(Officers.Jiashan, refusal.OfficerCounty);
        Assert.Equal("clerk", refusal.OfficerRole);
    }

    [Fact]
    public async Task Should_scope_reading_a_case_and_the_queue_to_the_officers_county()
    {
        var reviewCase = await _host.SubmitAsync();
        var jiashanHead = OfficerTokens.Headers(OfficerTokens.For("js-head", "head", Officers.Jiashan));

        var read = await Assert.ThrowsAsync<RpcException>(() => _host.Unsigned.GetCaseAsync(
            new GetCaseRequest { CaseId = reviewCase.CaseId }, jiashanHead).ResponseAsync);
        var queue = await Assert.ThrowsAsync<RpcException>(() => _host.Unsigned.ListQueueAsync(
            new ListQueueRequest { CountyCode = Officers.Haiyan }, jiashanHead).ResponseAsync);
        var own = await _host.Unsigned.ListQueueAsync(new ListQueueRequest(), jiashanHead);

        Assert.Equal(StatusCode.PermissionDenied, read.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, queue.StatusCode);
        Assert.Empty(own.Cases);
        Assert.Equal(2, await _host.CountAsync(
            "SELECT COUNT(*) FROM officer_audit WHERE officer_id = 'js-head' AND outcome = 'refused' AND action IN ('ViewCase', 'ViewQueue')"));
    }

    [Fact]
    public async Task Should_let_an_officer_with_several_roles_act_in_any_of_them()
    {
        var reviewCase = await _host.SubmitAsync();
        var token = Testing.Tokens.Mint("permits-review", "hy-clerk-head", "兼任", ["clerk", "head"], new() { ["county"] = Officers.Haiyan });
        var headers = OfficerTokens.Headers(token);

        var accepted = await _host.Unsigned.AcceptAsync(new CaseActionRequest { CaseId = reviewCase.CaseId }, headers);
        await _host.InspectAndReviewAsync(reviewCase.CaseId);
        var approved = await _host.Unsigned.ApproveAsync(new CaseActionRequest { CaseId = reviewCase.CaseId }, headers);
        var opinion = await Assert.ThrowsAsync<RpcException>(() => _host.Unsigned.RecordOpinionAsync(
            new RecordOpinionRequest { Action = new CaseActionRequest { CaseId = reviewCase.CaseId }, Recommendation = "Approve", Opinion = "同意" },
            headers).ResponseAsync);

        Assert.Equal("UnderReview", accepted.Stage);
        Assert.Equal("Approved", approved.Stage);
        Assert.Equal(StatusCode.PermissionDenied, opinion.StatusCode);
    }
}
