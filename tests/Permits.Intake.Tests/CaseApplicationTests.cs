using Google.Protobuf;
using Grpc.Core;
using Permits.Contracts.Intake.V1;
using Permits.Testing;

namespace Permits.Intake.Tests;

/// <summary>
/// "The case page shows every recorded fact": the reviewing officers of the application's county read a submitted
/// application as it was filed (the form with its personal data, the materials, the history with its notes), each read
/// in the officer audit; nobody else reads it, and a draft is not an application.
/// </summary>
public abstract class When_an_officer_reads_the_application_as_filed(string provider) : IAsyncLifetime
{
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, .. "JFIF"u8, 0x00, 0x01, 0x02, 0x03];
    private IntakeHost _host = null!;

    public async Task InitializeAsync() => _host = await IntakeHost.StartAsync(provider);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>A 海盐县 application of an individual business on leased premises, with an ID card photo; and a draft.</summary>
    private async Task<(string ApplicationId, string DraftId)> SubmittedAsync()
    {
        var draft = await _host.Client.SaveDraftAsync(new SaveDraftRequest { Form = SampleApplications.Individual() }, IntakeHost.As());
        await _host.Client.UploadMaterialAsync(new UploadMaterialRequest
        {
            DraftId = draft.DraftId, Kind = MaterialKind.IdCard, FileName = "身份证.jpg", Content = ByteString.CopyFrom(Jpeg),
        }, IntakeHost.As());
        var submitted = await _host.Client.SubmitAsync(draft.Form, IntakeHost.As());
        var other = await _host.Client.SaveDraftAsync(new SaveDraftRequest { Form = SampleApplications.Enterprise() }, IntakeHost.As());
        return (submitted.ApplicationId, other.DraftId);
    }

    private Task<long> AuditedAsync(string applicationId, string outcome) => _host.ScalarAsync<long>(
        "SELECT COUNT(*) FROM officer_audit WHERE subject_id = @Id AND action = 'ReadCaseApplication' AND outcome = @Outcome",
        new { Id = applicationId, Outcome = outcome });

    [Theory]
    [InlineData("clerk")]
    [InlineData("inspector")]
    [InlineData("reviewer")]
    [InlineData("head")]
    public async Task Should_show_an_officer_of_the_county_every_detail_as_filed(string role)
    {
        var (applicationId, _) = await SubmittedAsync();
        var filed = SampleApplications.Individual();

        var application = await _host.Client.GetCaseApplicationAsync(
            new GetApplicationRequest { ApplicationId = applicationId }, IntakeHost.AsOfficer("330424", role));

        Assert.Equal(filed.BusinessName, application.BusinessName);
        Assert.Equal(HolderType.IndividualBusiness, application.HolderType);
        Assert.Equal(filed.ResponsiblePerson, application.Form.ResponsiblePerson);
        Assert.Equal(filed.IdNumber, application.Form.IdNumber);
        Assert.Equal(filed.ContactPhone, application.Form.ContactPhone);
        Assert.Equal(filed.FloorArea, application.Form.FloorArea);
        Assert.Equal(PremisesTenure.Leased, application.Form.PremisesTenure);
        Assert.Equal(filed.LeaseEndDate, application.Form.LeaseEndDate);
        Assert.Equal(MaterialKind.IdCard, Assert.Single(application.Materials).Kind);
        Assert.NotEmpty(application.History);
        // Not the owner: nothing the applicant alone may do, no 查询码.
        Assert.False(application.OwnerView);
        Assert.False(application.CanWithdraw);
        Assert.Empty(application.QueryCode);
    }

    [Fact]
    public async Task Should_record_each_read_in_the_officer_audit()
    {
        var (applicationId, _) = await SubmittedAsync();
        var head = IntakeHost.AsOfficer("330424", "head");

        await _host.Client.GetCaseApplicationAsync(new GetApplicationRequest { ApplicationId = applicationId }, head);
        await _host.Client.GetCaseApplicationAsync(new GetApplicationRequest { ApplicationId = applicationId }, head);

        Assert.Equal(2, await AuditedAsync(applicationId, "done"));
        var role = await _host.ScalarAsync<string>(
            "SELECT officer_role FROM officer_audit WHERE subject_id = @Id AND action = 'ReadCaseApplication'", new { Id = applicationId });
        Assert.Equal("head", role);
    }

    public static TheoryData<string> Strangers() => ["another county's head", "the owner", "a disclosure clerk", "a token for Review"];

    [Theory]
    [MemberData(nameof(Strangers))]
    public async Task Should_refuse_anyone_but_the_county_officers(string who)
    {
        var (applicationId, _) = await SubmittedAsync();
        var headers = who switch
        {
            "another county's head" => IntakeHost.AsOfficer("330421", "head"),
            "the owner" => IntakeHost.As(),
            "a disclosure clerk" => IntakeHost.AsOfficer("330424", "disclosure-clerk"),
            _ => new Metadata { { "Authorization", "Bearer " + Tokens.Officer("330424", "head") } },
        };

        var refused = await Assert.ThrowsAsync<RpcException>(() => _host.Client.GetCaseApplicationAsync(
            new GetApplicationRequest { ApplicationId = applicationId }, headers).ResponseAsync);

        Assert.Equal(who == "a token for Review" ? StatusCode.Unauthenticated : StatusCode.PermissionDenied, refused.StatusCode);
        Assert.DoesNotContain(SampleApplications.Individual().ResponsiblePerson, refused.Status.Detail);
    }

    [Fact]
    public async Task Should_audit_the_refusal_of_another_countys_officer()
    {
        var (applicationId, _) = await SubmittedAsync();

        await Assert.ThrowsAsync<RpcException>(() => _host.Client.GetCaseApplicationAsync(
            new GetApplicationRequest { ApplicationId = applicationId }, IntakeHost.AsOfficer("330421", "clerk")).ResponseAsync);

        Assert.Equal(1, await AuditedAsync(applicationId, "refused"));
        Assert.Equal(0, await AuditedAsync(applicationId, "done"));
    }

    [Fact]
    public async Task Should_not_find_a_draft_an_unknown_id_or_a_number()
    {
        var (_, draftId) = await SubmittedAsync();
        var clerk = IntakeHost.AsOfficer("330424", "clerk");

        foreach (var request in new[]
                 {
                     new GetApplicationRequest { ApplicationId = draftId },
                     new GetApplicationRequest { ApplicationId = Guid.NewGuid().ToString() },
                     new GetApplicationRequest { ApplicationId = "' OR 1=1 --" },
                 })
        {
            var missing = await Assert.ThrowsAsync<RpcException>(() => _host.Client.GetCaseApplicationAsync(request, clerk).ResponseAsync);
            Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        }
    }
}

public sealed class When_an_officer_reads_the_application_as_filed_on_sqlite() : When_an_officer_reads_the_application_as_filed("Sqlite");

public sealed class When_an_officer_reads_the_application_as_filed_on_postgresql() : When_an_officer_reads_the_application_as_filed("PostgreSql");
