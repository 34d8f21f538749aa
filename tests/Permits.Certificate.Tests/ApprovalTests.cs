using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Permits.Contracts.Certificate.V1;
using Permits.Contracts.Licensing;
using Permits.Contracts.Review;
using Permits.Testing;

namespace Permits.Certificate.Tests;

/// <summary>
/// A shopkeeper's 变更, 停业 or 补办 application, once approved, acts on the licence it names, over the real consumers:
/// the number stays, nothing new is allocated, and a new version or duplicate is announced for that application.
/// </summary>
public sealed class When_an_application_for_an_existing_licence_is_approved : IAsyncLifetime
{
    private CertificateHost _host = null!;

    public async Task InitializeAsync() => _host = await CertificateHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<LicenceApproved> ApplyAndApproveAsync(string requestType, string licenceNumber, string businessName = "海盐县武原街道便民烟杂店")
    {
        var approval = CertificateHost.Approval(name: businessName);
        return _host.ApproveAsync(LicenceRequests.Submitted(approval, requestType, licenceNumber), approval);
    }

    [Fact]
    public async Task Should_issue_a_new_version_for_a_change_under_the_same_number()
    {
        var number = (await _host.IssueAsync(CertificateHost.Approval()))!;

        var change = await ApplyAndApproveAsync(RequestTypes.Change, number, "海盐县武原街道改名烟杂店");

        var licence = await _host.Client.GetCertificateAsync(new GetCertificateRequest { LicenceNumber = number }, CertificateHost.Officer);
        Assert.Equal((number, 2, "海盐县武原街道改名烟杂店"), (licence.LicenceNumber, licence.Version, licence.HolderName));
        Assert.Equal(1, await _host.ScalarAsync<long>("SELECT COUNT(*) FROM certificates"));
        Assert.Equal(1, await _host.ScalarAsync<long>("SELECT COUNT(*) FROM counters WHERE name LIKE 'licence:%'"));
        Assert.Equal(1, await _host.ScalarAsync<long>(
            "SELECT COUNT(*) FROM outbox_messages WHERE message_type LIKE 'Permits.Contracts.Certificate.CertificateIssued,%' AND body LIKE @Id",
            new { Id = $"%{change.ApplicationId}%" }));
        Assert.Equal(1, await _host.ScalarAsync<long>(
            "SELECT COUNT(*) FROM outbox_messages WHERE message_type LIKE 'Permits.Contracts.Certificate.CertificateVersionIssued,%' AND body LIKE @Id",
            new { Id = $"%{change.ApplicationId}%" }));
        var history = await _host.Client.GetLicenceHistoryAsync(new GetLicenceHistoryRequest { LicenceNumber = number }, CertificateHost.Officer);
        Assert.Equal(("Changed", "officer-1", $"准予行政许可决定书 {change.DocumentNumber}"),
            (history.Events[^1].Kind, history.Events[^1].OfficerId, history.Events[^1].Reason));
    }

    [Fact]
    public async Task Should_suspend_on_a_suspension_and_mark_a_reissue_as_a_duplicate_once_however_often_approved()
    {
        var number = (await _host.IssueAsync(CertificateHost.Approval()))!;

        await ApplyAndApproveAsync(RequestTypes.Suspend, number);
        Assert.Equal("Suspended", (await _host.Client.GetCertificateAsync(new GetCertificateRequest { LicenceNumber = number }, CertificateHost.Officer)).Status);
        await ApplyAndApproveAsync(RequestTypes.Resume, number);
        var reissue = await ApplyAndApproveAsync(RequestTypes.Reissue, number);
        const string HandledApprovals = "SELECT COUNT(*) FROM inbox_messages WHERE consumer = 'LicenceApprovedConsumer'";
        var handled = await _host.ScalarAsync<long>(HandledApprovals);
        await _host.Services.GetRequiredService<IBus>().Publish(reissue);
        await Eventually.TrueAsync(
            async () => await _host.ScalarAsync<long>(HandledApprovals) == handled + 1, TimeSpan.FromSeconds(20), "the approval again is handled");

        var licence = await _host.Client.GetCertificateAsync(new GetCertificateRequest { LicenceNumber = number }, CertificateHost.Officer);
        var verified = await _host.Client.VerifyAsync(new VerifyRequest { Token = licence.Token });
        Assert.Equal(("Valid", 1, 1), (licence.Status, licence.Version, licence.Duplicate));
        Assert.Equal(("VALID", 1), (verified.Status, verified.Duplicate));
        var history = await _host.Client.GetLicenceHistoryAsync(new GetLicenceHistoryRequest { LicenceNumber = number }, CertificateHost.Officer);
        Assert.Equal(["Issued", "Suspended", "Resumed", "Reissued"], history.Events.Select(e => e.Kind));
        Assert.Equal(1, await _host.ScalarAsync<long>("SELECT COUNT(*) FROM certificates"));
    }
}
