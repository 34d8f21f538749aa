using Google.Rpc;
using Grpc.Core;
using Permits.Contracts.Certificate.V1;

namespace Permits.Certificate.Tests;

/// <summary>
/// A NUL in a change gave a 500 on PostgreSQL; and another county's officer learnt from field errors what a
/// well-formed request would have been refused for. Text is checked first, then the county, then the fields.
/// </summary>
public sealed class When_a_licence_change_is_malformed : IAsyncLifetime
{
    private CertificateHost _host = null!;

    public async Task InitializeAsync() => _host = await CertificateHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("holder_name", "惠民\0便利店")]
    [InlineData("premises_address", "新桥北路\u202E1 号")]
    [InlineData("reason", "变更\0")]
    public async Task Should_refuse_control_and_bidi_characters_naming_the_field_and_change_nothing(string field, string value)
    {
        var number = (await _host.IssueAsync(CertificateHost.Approval()))!;
        var request = new ChangeCertificateRequest { LicenceNumber = number, HolderName = "惠民便利店", Reason = "名称变更" };
        ChangeCertificateRequest.Descriptor.FindFieldByName(field).Accessor.SetValue(request, value);

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            _host.Client.ChangeCertificateAsync(request, CertificateHost.OfficerOf("330424", "head")).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(field, Assert.Single(error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations).Field);
        Assert.Equal(1, await _host.ScalarAsync<long>("SELECT COUNT(*) FROM certificate_events"));
    }

    [Fact]
    public async Task Should_refuse_another_countys_officer_before_the_field_errors()
    {
        var number = (await _host.IssueAsync(CertificateHost.Approval()))!;
        var stranger = CertificateHost.OfficerOf("330421", "head");

        var change = await Assert.ThrowsAsync<RpcException>(() => _host.Client.ChangeCertificateAsync(
            new ChangeCertificateRequest { LicenceNumber = number }, stranger).ResponseAsync);
        var renew = await Assert.ThrowsAsync<RpcException>(() => _host.Client.RenewCertificateAsync(
            new RenewCertificateRequest { LicenceNumber = number, ValidTo = "someday" }, stranger).ResponseAsync);
        var suspend = await Assert.ThrowsAsync<RpcException>(() => _host.Client.SuspendCertificateAsync(
            new SuspendCertificateRequest { LicenceNumber = number }, stranger).ResponseAsync);

        Assert.Equal(
            (StatusCode.PermissionDenied, StatusCode.PermissionDenied, StatusCode.PermissionDenied),
            (change.StatusCode, renew.StatusCode, suspend.StatusCode));
        var own = await Assert.ThrowsAsync<RpcException>(() => _host.Client.ChangeCertificateAsync(
            new ChangeCertificateRequest { LicenceNumber = number }, CertificateHost.OfficerOf("330424", "head")).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, own.StatusCode);
    }
}
