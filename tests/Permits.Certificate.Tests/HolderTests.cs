using Google.Rpc;
using Grpc.Core;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Permits.Contracts;
using Permits.Contracts.Certificate.V1;
using Permits.Contracts.Intake;
using Permits.Contracts.Intake.V1;
using Permits.Contracts.Licensing;
using Permits.LocalInfra;
using Permits.Shared.Domain;
using Permits.Testing;
using DeliveryChoice = Permits.Contracts.DeliveryChoice;
using DeliveryMethod = Permits.Contracts.DeliveryMethod;

namespace Permits.Certificate.Tests;

/// <summary>
/// Licence numbers are public, so a request on a licence (补办, 注销, 变更, ...) must come from its holder: the real
/// Intake asks the real Certificate at submission, with the applicant's token, whether the applicant's 统一社会信用代码
/// (or, for an individual business without one, the 负责人's 身份证号) names the licence's holder.
/// </summary>
public sealed class When_someone_files_a_request_on_a_licence : IAsyncLifetime
{
    private const string Holder = "13800571234";
    private const string Stranger = "13900572345";
    private CertificateHost _certificate = null!;
    private IntakeServer _intake = null!;

    public async Task InitializeAsync()
    {
        // Intake forwards the applicant's token as it came (audience permits-intake in these tests).
        _certificate = await CertificateHost.StartAsync(extraAudiences: ["permits-intake"]);
        _intake = await IntakeServer.StartAsync(new Dictionary<string, string?> { ["Services:Certificate:Url"] = _certificate.GrpcUrl });
    }

    public async Task DisposeAsync()
    {
        await _intake.DisposeAsync();
        await _certificate.DisposeAsync();
    }

    /// <summary>An enterprise's licence, issued for <see cref="SampleApplications.Enterprise"/>.</summary>
    private async Task<string> EnterpriseLicenceAsync()
    {
        var approval = CertificateHost.Approval(holderType: "Enterprise") with { CreditCode = SampleApplications.Enterprise().CreditCode };
        return (await _certificate.IssueAsync(approval))!;
    }

    /// <summary>An individual business's licence without a credit code, issued for <see cref="SampleApplications.Individual"/>.</summary>
    private async Task<string> IndividualLicenceAsync()
    {
        var approval = CertificateHost.Approval();
        var sample = SampleApplications.Individual();
        await _certificate.Services.GetRequiredService<IBus>().Publish(new ApplicationSubmitted(
            approval.ApplicationId, approval.ApplicationNumber, "330424", RequestTypes.New, approval.HolderType, approval.BusinessName, null,
            sample.ResponsiblePerson, approval.PremisesAddress, 42.5m, null, new DeliveryChoice(DeliveryMethod.Pickup, "王建国", Holder, null),
            DateTimeOffset.UtcNow)
        {
            HolderIdDigest = Identifiers.HolderIdDigest(sample.IdNumber),
        });
        await Eventually.TrueAsync(
            async () => await _certificate.ScalarAsync<long>(
                "SELECT COUNT(*) FROM licence_requests WHERE application_id = @Id AND holder_id_digest IS NOT NULL", new { Id = approval.ApplicationId }) == 1,
            TimeSpan.FromSeconds(20), "Certificate keeps the digest of the holder's ID number");
        return (await _certificate.IssueAsync(approval))!;
    }

    private static async Task<BadRequest.Types.FieldViolation> RefusedAsync(Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        return Assert.Single(error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations);
    }

    private async Task<int> ApplicationsOfAsync(string phoneNumber) =>
        (await _intake.Client.ListMyApplicationsAsync(new ListMyApplicationsRequest(),
            new Metadata { { "Authorization", "Bearer " + Tokens.Applicant(phoneNumber) } })).Applications.Count;

    [Fact]
    public async Task Should_refuse_a_strangers_reissue_naming_the_credit_code_and_store_nothing()
    {
        var licence = await EnterpriseLicenceAsync();
        var request = SampleApplications.OnLicence(SampleApplications.Enterprise(), RequestType.Reissue, licence);
        request.CreditCode = SampleApplications.StrangersCreditCode;

        var violation = await RefusedAsync(() => _intake.SubmitAsync(request, Stranger));

        Assert.Equal("credit_code", violation.Field);
        Assert.Contains("持证人", violation.Description);
        Assert.Equal(0, await ApplicationsOfAsync(Stranger));
    }

    [Fact]
    public async Task Should_refuse_a_strangers_cancellation_of_an_individual_business_naming_the_id_number()
    {
        var licence = await IndividualLicenceAsync();
        var request = SampleApplications.OnLicence(SampleApplications.Individual(), RequestType.Cancel, licence);
        request.IdNumber = SampleApplications.StrangersIdNumber;

        var violation = await RefusedAsync(() => _intake.SubmitAsync(request, Stranger));

        Assert.Equal("id_number", violation.Field);
        Assert.Equal(0, await ApplicationsOfAsync(Stranger));
    }

    [Fact]
    public async Task Should_accept_the_holders_reissue_by_the_credit_code_typed_in_lower_case()
    {
        var licence = await EnterpriseLicenceAsync();
        var request = SampleApplications.OnLicence(SampleApplications.Enterprise(), RequestType.Reissue, licence);
        request.CreditCode = " " + request.CreditCode.ToLowerInvariant() + " ";

        var reply = await _intake.SubmitAsync(request, Holder);

        Assert.Equal("Submitted", reply.Status);
    }

    [Fact]
    public async Task Should_accept_the_cancellation_of_an_individual_business_by_its_holders_id_number()
    {
        var licence = await IndividualLicenceAsync();
        var request = SampleApplications.OnLicence(SampleApplications.Individual(), RequestType.Cancel, licence);

        var reply = await _intake.SubmitAsync(request, Holder);

        Assert.Equal("Submitted", reply.Status);
    }

    [Fact]
    public async Task Should_name_the_licence_number_when_no_licence_has_it()
    {
        var request = SampleApplications.OnLicence(SampleApplications.Enterprise(), RequestType.Reissue, "330424299999");

        var violation = await RefusedAsync(() => _intake.SubmitAsync(request, Holder));

        Assert.Equal("licence_number", violation.Field);
    }

    [Fact]
    public async Task Should_answer_only_match_or_not_and_stop_a_stranger_guessing_id_numbers()
    {
        var licence = await IndividualLicenceAsync();
        var stranger = CertificateHost.Applicant("13700573456");
        var guess = new CheckHolderRequest { LicenceNumber = licence, IdNumber = SampleApplications.StrangersIdNumber };

        var first = await _certificate.Client.CheckHolderAsync(guess, stranger);
        Assert.Equal((true, false, "ID_NUMBER"), (first.Found, first.Match, first.IdentifiedBy));
        for (var i = 1; i < Features.CheckHolder.MaxMisses; i++)
        {
            await _certificate.Client.CheckHolderAsync(guess, stranger);
        }

        var right = new CheckHolderRequest { LicenceNumber = licence, IdNumber = SampleApplications.Individual().IdNumber };
        var limited = await Assert.ThrowsAsync<RpcException>(() => _certificate.Client.CheckHolderAsync(right, stranger).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, limited.StatusCode);

        var anonymous = await Assert.ThrowsAsync<RpcException>(() => _certificate.Client.CheckHolderAsync(guess).ResponseAsync);
        var otherCounty = await Assert.ThrowsAsync<RpcException>(() => _certificate.Client.CheckHolderAsync(
            guess, CertificateHost.OfficerOf("330421", "clerk")).ResponseAsync);
        Assert.Equal((StatusCode.Unauthenticated, StatusCode.PermissionDenied), (anonymous.StatusCode, otherCounty.StatusCode));
        var byOfficer = await _certificate.Client.CheckHolderAsync(right, CertificateHost.OfficerOf("330424", "clerk"));
        Assert.True(byOfficer.Match);
    }
}

/// <summary>Certificate cannot be reached: a request on a licence is refused as UNAVAILABLE, never accepted unchecked.</summary>
public sealed class When_certificate_cannot_be_asked_who_holds_a_licence : IAsyncLifetime
{
    private IntakeServer _intake = null!;

    public async Task InitializeAsync() =>
        _intake = await IntakeServer.StartAsync(new Dictionary<string, string?>
        {
            // Nothing listens there.
            ["Services:Certificate:Url"] = $"http://127.0.0.1:{FreePort.Next()}",
        });

    public async Task DisposeAsync() => await _intake.DisposeAsync();

    [Fact]
    public async Task Should_refuse_the_request_as_unavailable_and_store_nothing()
    {
        var request = SampleApplications.OnLicence(SampleApplications.Individual(), RequestType.Reissue, "330424100001");

        var error = await Assert.ThrowsAsync<RpcException>(() => _intake.SubmitAsync(request, "13800571234"));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        var mine = await _intake.Client.ListMyApplicationsAsync(new ListMyApplicationsRequest(),
            new Metadata { { "Authorization", "Bearer " + Tokens.Applicant("13800571234") } });
        Assert.Empty(mine.Applications);
    }
}
