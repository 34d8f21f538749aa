using Microsoft.Extensions.DependencyInjection;
using Permits.Certificate.Workers;
using Permits.Contracts.Certificate.V1;
using Permits.Contracts.Review;
using Permits.Contracts.Licensing;
using Permits.Testing;
using Permits.Shared.Domain;

namespace Permits.Certificate.Tests;

/// <summary>
/// A 停业 application names its first and last day (applied for at least 7 days before). Approved before the first day
/// (China time), the licence stays valid and the suspension waits; on the first day the suspension worker applies it,
/// once however many instances poll, with the period in the reason and the disclosure record.
/// </summary>
public sealed class When_a_suspension_is_approved_before_its_first_day
{
    private const string Suspended = "Permits.Contracts.Certificate.CertificateSuspended, Permits.Contracts";

    private const string Disclosure = "Permits.Contracts.Disclosure.DisclosureRecorded, Permits.Contracts";

    private static readonly Dictionary<string, string?> WorkerOff = new() { ["Certificate:Suspensions:Enabled"] = "false" };

    private static Task<LicenceApproved> ApplyAndApproveAsync(CertificateHost host, string licenceNumber, DateOnly from, DateOnly until)
    {
        var approval = CertificateHost.Approval();
        var submitted = LicenceRequests.Submitted(approval, RequestTypes.Suspend, licenceNumber) with { SuspendFrom = from, SuspendUntil = until };
        return host.ApproveAsync(submitted, approval);
    }

    private static async Task<CertificateMessageView> GetAsync(CertificateHost host, string number)
    {
        var licence = await host.Client.GetCertificateAsync(new GetCertificateRequest { LicenceNumber = number }, CertificateHost.Officer);
        return new CertificateMessageView(licence.Status, licence.StatusReason);
    }

    private static async Task<long> CountAsync(CertificateHost host, string messageType) =>
        (await host.OutboxTypesAsync()).Count(t => t == messageType);

    [Fact]
    public async Task Should_keep_the_licence_valid_and_suspend_it_once_on_the_first_day_across_two_instances()
    {
        var time = new ManualTime(DateTimeOffset.UtcNow);
        await using var first = await CertificateHost.StartAsync(settings: WorkerOff, time: time);
        await using var second = await CertificateHost.StartAsync(connectionString: first.ConnectionString, settings: WorkerOff, time: time);
        var number = (await first.IssueAsync(CertificateHost.Approval()))!;
        var from = time.ChinaToday.AddDays(10);
        var until = from.AddDays(59);

        var approval = await ApplyAndApproveAsync(first, number, from, until);

        Assert.Equal("Valid", (await GetAsync(first, number)).Status);
        Assert.Equal(0, await CountAsync(first, Suspended));
        Assert.Equal(1, await first.ScalarAsync<long>(
            "SELECT COUNT(*) FROM licence_requests WHERE application_id = @Id AND suspension_scheduled_at IS NOT NULL AND suspension_applied_at IS NULL",
            new { Id = approval.ApplicationId }));
        var disclosuresBefore = await CountAsync(first, Disclosure);

        time.SetChinaDate(from.AddDays(-1), hour: 23);
        Assert.Equal(0, await first.Services.GetRequiredService<SuspensionWorker>().RunOnceAsync(CancellationToken.None));
        Assert.Equal("Valid", (await GetAsync(first, number)).Status);

        time.SetChinaDate(from, hour: 0);
        var runs = await Task.WhenAll(
            first.Services.GetRequiredService<SuspensionWorker>().RunOnceAsync(CancellationToken.None),
            second.Services.GetRequiredService<SuspensionWorker>().RunOnceAsync(CancellationToken.None));
        Assert.Equal(1, runs.Sum());
        Assert.Equal(0, await second.Services.GetRequiredService<SuspensionWorker>().RunOnceAsync(CancellationToken.None));

        var licence = await GetAsync(second, number);
        Assert.Equal("Suspended", licence.Status);
        Assert.Equal($"准予行政许可决定书 {approval.DocumentNumber}，停业期限 {from:yyyy-MM-dd} 至 {until:yyyy-MM-dd}", licence.StatusReason);
        Assert.Equal(1, await CountAsync(first, Suspended));
        Assert.Equal(disclosuresBefore + 1, await CountAsync(first, Disclosure));
        var history = await first.Client.GetLicenceHistoryAsync(new GetLicenceHistoryRequest { LicenceNumber = number }, CertificateHost.Officer);
        Assert.Equal(["Issued", "Suspended"], history.Events.Select(e => e.Kind));
        Assert.Equal("officer-1", history.Events[^1].OfficerId);
    }

    [Fact]
    public async Task Should_suspend_at_once_when_the_first_day_has_already_come()
    {
        var time = new ManualTime(DateTimeOffset.UtcNow);
        await using var host = await CertificateHost.StartAsync(settings: WorkerOff, time: time);
        var number = (await host.IssueAsync(CertificateHost.Approval()))!;
        var from = time.ChinaToday.AddDays(10);
        time.SetChinaDate(from, hour: 0);

        var approval = await ApplyAndApproveAsync(host, number, from, from.AddDays(29));

        var licence = await GetAsync(host, number);
        Assert.Equal("Suspended", licence.Status);
        Assert.Equal($"准予行政许可决定书 {approval.DocumentNumber}，停业期限 {from:yyyy-MM-dd} 至 {from.AddDays(29):yyyy-MM-dd}", licence.StatusReason);
        Assert.Equal(1, await CountAsync(host, Suspended));
        Assert.Equal(0, await host.ScalarAsync<long>("SELECT COUNT(*) FROM licence_requests WHERE suspension_scheduled_at IS NOT NULL"));
        Assert.Equal(0, await host.Services.GetRequiredService<SuspensionWorker>().RunOnceAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Should_apply_it_through_the_polling_worker_on_SQLite_too()
    {
        var time = new ManualTime(DateTimeOffset.UtcNow);
        await using var host = await CertificateHost.StartAsync(
            provider: "Sqlite", time: time,
            settings: new Dictionary<string, string?> { ["Certificate:Suspensions:PollSeconds"] = "0.2" });
        var number = (await host.IssueAsync(CertificateHost.Approval()))!;
        var from = time.ChinaToday.AddDays(7);

        var worker = host.Services.GetRequiredService<SuspensionWorker>();

        await ApplyAndApproveAsync(host, number, from, from.AddDays(6));
        // A pass the day before the first day (the polling loop runs beside it): nothing is due, nothing suspended.
        time.SetChinaDate(from.AddDays(-1), hour: 23);
        Assert.Equal(0, await worker.RunOnceAsync(CancellationToken.None));
        Assert.Equal("Valid", (await GetAsync(host, number)).Status);

        time.SetChinaDate(from, hour: 8);
        await Eventually.TrueAsync(
            async () => (await GetAsync(host, number)).Status == "Suspended", TimeSpan.FromSeconds(20), "the worker suspends the licence");
        // The suspension claimed its request in the transaction that suspended the licence: a later pass finds nothing.
        Assert.Equal(0, await worker.RunOnceAsync(CancellationToken.None));
        Assert.Equal(1, await CountAsync(host, Suspended));
    }

    private sealed record CertificateMessageView(string Status, string StatusReason);
}
