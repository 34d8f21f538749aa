using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Permits.Contracts.Certificate.V1;
using Permits.Contracts.Licensing;
using Permits.Shared.Steps;
using Permits.Testing;

namespace Permits.Certificate.Tests;

/// <summary>
/// Officers see and change only their own county's licences, in the roles each step needs; strangers see nothing but
/// the public verification. Real tokens (signed JWTs checked by the services' own validation).
/// </summary>
public sealed class When_officers_work_with_licences : IAsyncLifetime
{
    private CertificateHost _host = null!;

    public async Task InitializeAsync() => _host = await CertificateHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Should_show_a_licence_with_its_history_to_any_officer_of_its_county()
    {
        var approval = CertificateHost.Approval();
        var number = (await _host.IssueAsync(approval))!;
        await _host.Client.SuspendCertificateAsync(
            new SuspendCertificateRequest { LicenceNumber = number, Reason = "店面装修" }, CertificateHost.OfficerOf("330424", "clerk"));
        await _host.Client.ResumeCertificateAsync(new ResumeCertificateRequest { LicenceNumber = number }, CertificateHost.OfficerOf("330424", "head"));
        await _host.Client.ChangeCertificateAsync(
            new ChangeCertificateRequest { LicenceNumber = number, Reason = "名称变更", HolderName = "海盐县武原街道新名烟杂店" },
            CertificateHost.OfficerOf("330424", "head"));
        await _host.Client.ReissueCertificateAsync(
            new ReissueCertificateRequest { LicenceNumber = number, Reason = "许可证遗失" }, CertificateHost.OfficerOf("330424", "clerk"));
        var inspector = CertificateHost.OfficerOf("330424", "inspector");

        var licence = await _host.Client.GetCertificateAsync(new GetCertificateRequest { ApplicationId = approval.ApplicationId.ToString() }, inspector);
        var history = await _host.Client.GetLicenceHistoryAsync(new GetLicenceHistoryRequest { LicenceNumber = number }, inspector);
        var document = await _host.Client.GetLicenceDocumentAsync(new GetLicenceDocumentRequest { LicenceNumber = number }, inspector);

        Assert.Equal((number, 2, 1, "张三"), (licence.LicenceNumber, licence.Version, licence.Duplicate, licence.ResponsiblePerson));
        Assert.Equal(["Issued", "Suspended", "Resumed", "Changed", "Reissued"], history.Events.Select(e => e.Kind));
        Assert.Equal([1, 1, 1, 2, 2], history.Events.Select(e => e.Version));
        Assert.Equal([0, 0, 0, 0, 1], history.Events.Select(e => e.Duplicate));
        Assert.Equal(["Valid", "Suspended", "Valid", "Valid", "Valid"], history.Events.Select(e => e.Status));
        Assert.Equal("officer-330424-clerk", history.Events[1].OfficerId);
        Assert.Equal("店面装修", history.Events[1].Reason);
        Assert.Equal("海盐县武原街道新名烟杂店", history.Events[3].HolderName);
        Assert.EndsWith(".002." + history.Events[3].ElicenceId[^1], history.Events[3].ElicenceId);
        Assert.Equal(history.Events[3].ElicenceId, history.Events[4].ElicenceId);
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(document.Pdf.Span[..4]));
    }

    [Fact]
    public async Task Should_refuse_officers_of_another_county_and_change_nothing()
    {
        var number = (await _host.IssueAsync(CertificateHost.Approval()))!;
        var jiashan = CertificateHost.OfficerOf("330421", "clerk", "head");

        Assert.Equal(StatusCode.PermissionDenied, (await Assert.ThrowsAsync<RpcException>(() => _host.Client.GetCertificateAsync(
            new GetCertificateRequest { LicenceNumber = number }, jiashan).ResponseAsync)).StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, (await Assert.ThrowsAsync<RpcException>(() => _host.Client.GetLicenceDocumentAsync(
            new GetLicenceDocumentRequest { LicenceNumber = number }, jiashan).ResponseAsync)).StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, (await Assert.ThrowsAsync<RpcException>(() => _host.Client.GetLicenceHistoryAsync(
            new GetLicenceHistoryRequest { LicenceNumber = number }, jiashan).ResponseAsync)).StatusCode);
        var revoke = await Assert.ThrowsAsync<RpcException>(() => _host.Client.RevokeCertificateAsync(
            new RevokeCertificateRequest { LicenceNumber = number, Kind = RevocationKind.Cancelled, Reason = "注销" }, jiashan).ResponseAsync);
        Assert.Equal((StatusCode.PermissionDenied, "该许可证不属于本县（市、区）局，无权查看或办理"), (revoke.StatusCode, revoke.Status.Detail));
        var invalid = await Assert.ThrowsAsync<RpcException>(() => _host.Client.RevokeCertificateAsync(
            new RevokeCertificateRequest { LicenceNumber = number, Reason = "" }, jiashan).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, invalid.StatusCode);

        var search = await _host.Client.SearchLicencesAsync(new SearchLicencesRequest { Query = number }, jiashan);
        Assert.Equal("330421", search.CountyCode);
        Assert.Empty(search.Licences);
        Assert.Equal("Valid", (await _host.Client.GetCertificateAsync(new GetCertificateRequest { LicenceNumber = number }, CertificateHost.Officer)).Status);
        Assert.Equal(1, await _host.ScalarAsync<long>("SELECT COUNT(*) FROM certificate_events"));
        Assert.Equal(2, await _host.ScalarAsync<long>(
            "SELECT COUNT(*) FROM officer_audit WHERE subject_id = @Number AND officer_county = '330421' AND action = 'Cancel' AND outcome = 'refused'",
            new { Number = number }));
    }

    [Fact]
    public async Task Should_leave_licensing_decisions_to_the_approving_head()
    {
        var number = (await _host.IssueAsync(CertificateHost.Approval()))!;
        var clerk = CertificateHost.OfficerOf("330424", "clerk");

        var change = await Assert.ThrowsAsync<RpcException>(() => _host.Client.ChangeCertificateAsync(
            new ChangeCertificateRequest { LicenceNumber = number, HolderName = "新名" }, clerk).ResponseAsync);
        var inspectorSuspends = await Assert.ThrowsAsync<RpcException>(() => _host.Client.SuspendCertificateAsync(
            new SuspendCertificateRequest { LicenceNumber = number, Reason = "停业" }, CertificateHost.OfficerOf("330424", "inspector")).ResponseAsync);

        Assert.Equal((StatusCode.PermissionDenied, "变更须由审批岗位办理"), (change.StatusCode, change.Status.Detail));
        Assert.Equal((StatusCode.PermissionDenied, "停业须由受理或审批岗位办理"), (inspectorSuspends.StatusCode, inspectorSuspends.Status.Detail));
        var revoked = await _host.Client.RevokeCertificateAsync(
            new RevokeCertificateRequest { LicenceNumber = number, Kind = RevocationKind.Closed, Reason = "歇业" }, CertificateHost.OfficerOf("330424", "head"));
        Assert.Equal("Revoked", revoked.Status);
        var audit = (await _host.Services.GetRequiredService<OfficerAudit<CertificateModule>>().TrailAsync(number, CancellationToken.None))
            .Select(e => (e.Action, e.Outcome, e.OfficerRole)).ToList();
        Assert.Equal([("Change", "refused", "clerk"), ("Suspend", "refused", "inspector"), ("Close", "done", "head")], audit);
    }

    [Fact]
    public async Task Should_refuse_callers_without_a_token_but_keep_verification_open()
    {
        var number = (await _host.IssueAsync(CertificateHost.Approval()))!;

        Assert.Equal(StatusCode.Unauthenticated, (await Assert.ThrowsAsync<RpcException>(() => _host.Client.GetCertificateAsync(
            new GetCertificateRequest { LicenceNumber = number }).ResponseAsync)).StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, (await Assert.ThrowsAsync<RpcException>(() => _host.Client.GetLicenceDocumentAsync(
            new GetLicenceDocumentRequest { LicenceNumber = number }).ResponseAsync)).StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, (await Assert.ThrowsAsync<RpcException>(() => _host.Client.SuspendCertificateAsync(
            new SuspendCertificateRequest { LicenceNumber = number, OfficerId = "officer-1", Reason = "停业" }).ResponseAsync)).StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, (await Assert.ThrowsAsync<RpcException>(() => _host.Client.SearchLicencesAsync(
            new SearchLicencesRequest()).ResponseAsync)).StatusCode);
        var forged = new Metadata { { "Authorization", "Bearer " + Tokens.Mint("permits-certificate", "x", null, ["head"], new() { ["county"] = "330424" }, issuer: "https://evil.test/") } };
        Assert.Equal(StatusCode.Unauthenticated, (await Assert.ThrowsAsync<RpcException>(() => _host.Client.RevokeCertificateAsync(
            new RevokeCertificateRequest { LicenceNumber = number, Kind = RevocationKind.Cancelled, Reason = "x" }, forged).ResponseAsync)).StatusCode);
        var otherApi = new Metadata { { "Authorization", "Bearer " + Tokens.Officer("330424", "head") } };
        Assert.Equal(StatusCode.Unauthenticated, (await Assert.ThrowsAsync<RpcException>(() => _host.Client.GetCertificateAsync(
            new GetCertificateRequest { LicenceNumber = number }, otherApi).ResponseAsync)).StatusCode);

        var verified = await _host.Client.VerifyAsync(new VerifyRequest { LicenceNumber = number });
        Assert.Equal(("ON_RECORD", "VALID"), (verified.Authenticity, verified.Status));
        Assert.NotEmpty((await _host.Client.GetStatusListAsync(new GetStatusListRequest { CountyCode = "330424" })).Signature);
        Assert.NotEmpty((await _host.Client.GetSigningKeysAsync(new GetSigningKeysRequest())).Keys);
        Assert.Equal("Valid", (await _host.Client.GetCertificateAsync(new GetCertificateRequest { LicenceNumber = number }, CertificateHost.Officer)).Status);
    }

    [Fact]
    public async Task Should_find_licences_of_the_county_by_number_application_number_and_name()
    {
        var first = CertificateHost.Approval(name: "海盐县秦山街道百货商店");
        var firstNumber = (await _host.IssueAsync(first))!;
        var second = (await _host.IssueAsync(CertificateHost.Approval(name: "海盐县武原街道100%烟酒店")))!;
        await _host.IssueAsync(CertificateHost.Approval(countyCode: "330421", name: "嘉善县魏塘街道百货商店"));
        var officer = CertificateHost.OfficerOf("330424", "reviewer");

        var byNumber = await _host.Client.SearchLicencesAsync(new SearchLicencesRequest { Query = firstNumber }, officer);
        var byApplication = await _host.Client.SearchLicencesAsync(new SearchLicencesRequest { Query = first.ApplicationNumber }, officer);
        var byName = await _host.Client.SearchLicencesAsync(new SearchLicencesRequest { Query = "百货" }, officer);
        var literalPercent = await _host.Client.SearchLicencesAsync(new SearchLicencesRequest { Query = "100%" }, officer);
        var all = await _host.Client.SearchLicencesAsync(new SearchLicencesRequest(), officer);

        Assert.Equal([firstNumber], byNumber.Licences.Select(l => l.LicenceNumber));
        Assert.Equal([firstNumber], byApplication.Licences.Select(l => l.LicenceNumber));
        Assert.Equal([firstNumber], byName.Licences.Select(l => l.LicenceNumber));
        Assert.Equal([second], literalPercent.Licences.Select(l => l.LicenceNumber));
        Assert.Equal(2, all.Licences.Count);
        Assert.All(all.Licences, l => Assert.Equal("330424", l.CountyCode));
        var bad = await Assert.ThrowsAsync<RpcException>(() => _host.Client.SearchLicencesAsync(
            new SearchLicencesRequest { Status = "LOST", Limit = 1000 }, officer).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, bad.StatusCode);
    }
}

/// <summary>
/// The holder is the shopkeeper who applied: Certificate asks the real Intake service, with the shopkeeper's own token,
/// whether the licence's application is theirs.
/// </summary>
public sealed class When_shopkeepers_ask_for_their_licence : IAsyncLifetime
{
    private const string Wang = "13800571234";
    private const string Li = "13900572345";
    private IntakeServer _intake = null!;
    private CertificateHost _host = null!;

    public async Task InitializeAsync()
    {
        _intake = await IntakeServer.StartAsync();
        _host = await CertificateHost.StartAsync(settings: new Dictionary<string, string?> { ["Services:Intake:Url"] = _intake.GrpcUrl });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _intake.DisposeAsync();
    }

    private async Task<(string ApplicationId, string LicenceNumber)> ApprovedApplicationOfAsync(string phoneNumber)
    {
        var submitted = await _intake.SubmitAsync(phoneNumber);
        var approval = CertificateHost.Approval() with
        {
            ApplicationId = Guid.Parse(submitted.ApplicationId),
            ApplicationNumber = submitted.ApplicationNumber,
        };
        return (submitted.ApplicationId, (await _host.IssueAsync(approval))!);
    }

    [Fact]
    public async Task Should_give_the_holder_their_licence_files_and_history()
    {
        var (applicationId, number) = await ApprovedApplicationOfAsync(Wang);

        var licence = await _host.Client.GetCertificateAsync(new GetCertificateRequest { ApplicationId = applicationId }, CertificateHost.Applicant(Wang));
        var document = await _host.Client.GetLicenceDocumentAsync(new GetLicenceDocumentRequest { LicenceNumber = number }, CertificateHost.Applicant(Wang));
        var history = await _host.Client.GetLicenceHistoryAsync(new GetLicenceHistoryRequest { LicenceNumber = number }, CertificateHost.Applicant(Wang));

        Assert.Equal((number, 1, "Valid"), (licence.LicenceNumber, licence.Version, licence.Status));
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(document.Pdf.Span[..4]));
        Assert.Contains("responsiblePerson", document.SignedJson);
        Assert.Equal(["Issued"], history.Events.Select(e => e.Kind));
    }

    [Fact]
    public async Task Should_let_the_applicant_of_an_approved_change_hold_the_licence_too()
    {
        var (_, number) = await ApprovedApplicationOfAsync(Wang);
        var lis = await _intake.SubmitAsync(Li);
        var before = await Assert.ThrowsAsync<RpcException>(() => _host.Client.GetLicenceDocumentAsync(
            new GetLicenceDocumentRequest { LicenceNumber = number }, CertificateHost.Applicant(Li)).ResponseAsync);

        // Li's application, as Certificate learns it from the events: a 变更 of Wang's licence, approved.
        var approval = CertificateHost.Approval(name: "海盐县武原街道新主人烟杂店") with
        {
            ApplicationId = Guid.Parse(lis.ApplicationId),
            ApplicationNumber = lis.ApplicationNumber,
        };
        await _host.ApproveAsync(
            LicenceRequests.Submitted(approval, RequestTypes.Change, number, "李四", Li) with { HolderMatch = "IdNumber" }, approval);

        var byHerApplication = await _host.Client.GetCertificateAsync(new GetCertificateRequest { ApplicationId = lis.ApplicationId }, CertificateHost.Applicant(Li));
        var document = await _host.Client.GetLicenceDocumentAsync(new GetLicenceDocumentRequest { LicenceNumber = number }, CertificateHost.Applicant(Li));

        Assert.Equal(StatusCode.PermissionDenied, before.StatusCode);
        Assert.Equal((number, 2, "海盐县武原街道新主人烟杂店"), (byHerApplication.LicenceNumber, byHerApplication.Version, byHerApplication.HolderName));
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(document.Pdf.Span[..4]));
    }

    [Fact]
    public async Task Should_not_let_the_applicant_of_a_request_never_matched_to_the_holder_read_the_licence()
    {
        var (_, number) = await ApprovedApplicationOfAsync(Wang);
        var lis = await _intake.SubmitAsync(Li);

        // A 补办 filed before Intake checked the holder (no HolderMatch), approved all the same: it proves nothing about Li.
        var approval = CertificateHost.Approval() with { ApplicationId = Guid.Parse(lis.ApplicationId), ApplicationNumber = lis.ApplicationNumber };
        await _host.ApproveAsync(LicenceRequests.Submitted(approval, RequestTypes.Reissue, number, "李四", Li), approval);

        var document = await Assert.ThrowsAsync<RpcException>(() => _host.Client.GetLicenceDocumentAsync(
            new GetLicenceDocumentRequest { LicenceNumber = number }, CertificateHost.Applicant(Li)).ResponseAsync);
        var byHerApplication = await Assert.ThrowsAsync<RpcException>(() => _host.Client.GetCertificateAsync(
            new GetCertificateRequest { ApplicationId = lis.ApplicationId }, CertificateHost.Applicant(Li)).ResponseAsync);
        Assert.Equal((StatusCode.PermissionDenied, StatusCode.PermissionDenied), (document.StatusCode, byHerApplication.StatusCode));
    }

    [Fact]
    public async Task Should_refuse_another_shopkeeper_and_anyone_without_sign_in()
    {
        var (applicationId, number) = await ApprovedApplicationOfAsync(Wang);

        var other = await Assert.ThrowsAsync<RpcException>(() => _host.Client.GetLicenceDocumentAsync(
            new GetLicenceDocumentRequest { LicenceNumber = number }, CertificateHost.Applicant(Li)).ResponseAsync);
        var otherByApplication = await Assert.ThrowsAsync<RpcException>(() => _host.Client.GetCertificateAsync(
            new GetCertificateRequest { ApplicationId = applicationId }, CertificateHost.Applicant(Li)).ResponseAsync);
        var anonymous = await Assert.ThrowsAsync<RpcException>(() => _host.Client.GetLicenceDocumentAsync(
            new GetLicenceDocumentRequest { LicenceNumber = number }).ResponseAsync);
        var holderRevokes = await Assert.ThrowsAsync<RpcException>(() => _host.Client.RevokeCertificateAsync(
            new RevokeCertificateRequest { LicenceNumber = number, Kind = RevocationKind.Cancelled, Reason = "不想干了" }, CertificateHost.Applicant(Wang)).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, other.StatusCode);
        Assert.DoesNotContain("张三", other.Status.Detail);
        Assert.Equal(StatusCode.PermissionDenied, otherByApplication.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, holderRevokes.StatusCode);
        Assert.Equal("Valid", (await _host.Client.GetCertificateAsync(new GetCertificateRequest { LicenceNumber = number }, CertificateHost.Officer)).Status);
    }
}
