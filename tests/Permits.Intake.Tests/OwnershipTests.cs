using Grpc.Core;
using Permits.Contracts.Intake.V1;
using Permits.Testing;

namespace Permits.Intake.Tests;

public abstract class When_shopkeepers_sign_in(string provider) : IAsyncLifetime
{
    private const string Wang = "13800571234";
    private const string Li = "13900572345";
    private IntakeHost _host = null!;

    public async Task InitializeAsync() => _host = await IntakeHost.StartAsync(provider);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Should_refuse_a_submission_without_sign_in_and_store_nothing()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _host.Client.SubmitAsync(SampleApplications.Individual()).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Equal(0, await _host.CountAsync("applications"));
    }

    [Fact]
    public async Task Should_refuse_a_forged_or_foreign_token()
    {
        var forged = new Metadata { { "Authorization", "Bearer " + Tokens.Mint("permits-intake", "x", null, ["applicant"], issuer: "https://evil.test/") } };
        var officer = new Metadata { { "Authorization", "Bearer " + Tokens.OfficerFor("permits-intake", "330424", "clerk") } };
        var otherAudience = new Metadata { { "Authorization", "Bearer " + Tokens.Applicant(Wang, audience: "permits-review") } };

        Assert.Equal(StatusCode.Unauthenticated, (await Assert.ThrowsAsync<RpcException>(() =>
            _host.Client.SubmitAsync(SampleApplications.Individual(), forged).ResponseAsync)).StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, (await Assert.ThrowsAsync<RpcException>(() =>
            _host.Client.SubmitAsync(SampleApplications.Individual(), officer).ResponseAsync)).StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, (await Assert.ThrowsAsync<RpcException>(() =>
            _host.Client.ListMyApplicationsAsync(new ListMyApplicationsRequest(), otherAudience).ResponseAsync)).StatusCode);
        Assert.Equal(0, await _host.CountAsync("applications"));
    }

    [Fact]
    public async Task Should_show_each_shopkeeper_only_their_own_applications()
    {
        var wangs = await _host.Client.SubmitAsync(SampleApplications.Individual(), IntakeHost.As(Wang));
        var lis = await _host.Client.SubmitAsync(SampleApplications.Enterprise(), IntakeHost.As(Li));

        var mine = await _host.Client.ListMyApplicationsAsync(new ListMyApplicationsRequest(), IntakeHost.As(Wang));
        Assert.Equal([wangs.ApplicationId], mine.Applications.Select(a => a.ApplicationId));

        var own = await _host.Client.GetMyApplicationAsync(new GetApplicationRequest { ApplicationId = wangs.ApplicationId }, IntakeHost.As(Wang));
        Assert.True(own.OwnerView);
        Assert.Equal("330424198001010012", own.Form.IdNumber);

        var error = await Assert.ThrowsAsync<RpcException>(() => _host.Client.GetMyApplicationAsync(
            new GetApplicationRequest { ApplicationId = lis.ApplicationId }, IntakeHost.As(Wang)).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        var withdraw = await Assert.ThrowsAsync<RpcException>(() => _host.Client.WithdrawAsync(
            new WithdrawApplicationRequest { ApplicationId = lis.ApplicationId }, IntakeHost.As(Wang)).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, withdraw.StatusCode);
    }

    [Fact]
    public async Task Should_show_the_public_the_status_but_no_personal_data()
    {
        var submitted = await _host.Client.SubmitAsync(SampleApplications.Individual(), IntakeHost.As(Wang));

        var seen = await _host.Client.GetApplicationAsync(
            new GetApplicationRequest { ApplicationNumber = submitted.ApplicationNumber, QueryCode = submitted.QueryCode });

        Assert.Equal("Submitted", seen.Status);
        Assert.DoesNotContain(SampleApplications.Individual().BusinessName, seen.ToString());
        Assert.DoesNotContain("330424198001010012", seen.ToString());
        Assert.DoesNotContain(Wang, seen.ToString());
    }

    [Fact]
    public async Task Should_not_let_another_shopkeeper_reuse_a_form_number()
    {
        var request = SampleApplications.Individual();
        await _host.Client.SubmitAsync(request, IntakeHost.As(Wang));

        var error = await Assert.ThrowsAsync<RpcException>(() => _host.Client.SubmitAsync(request, IntakeHost.As(Li)).ResponseAsync);

        Assert.Equal(StatusCode.AlreadyExists, error.StatusCode);
        Assert.Equal(1, await _host.CountAsync("applications"));
    }
}

public sealed class When_shopkeepers_sign_in_on_sqlite() : When_shopkeepers_sign_in("Sqlite");

public sealed class When_shopkeepers_sign_in_on_postgresql() : When_shopkeepers_sign_in("PostgreSql");
