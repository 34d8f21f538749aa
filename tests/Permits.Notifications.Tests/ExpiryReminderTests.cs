using Permits.Contracts.Certificate;
using Permits.Contracts.Notifications.V1;
using Permits.Shared.Domain;
using Permits.Testing;

namespace Permits.Notifications.Tests;

/// <summary>
/// A licence valid to 2026-06-30: its holder is reminded on 2026-04-01 (90 days) and 2026-05-31 (30 days, the last
/// day to apply for 延续), once each, though the clock moves on, the service restarts and the worker passes again; in
/// May the county's clerk gets the notice of June's expiring licences.
/// </summary>
public sealed class When_a_licence_nears_its_expiry
{
    private const string Licence = "330424100001";

    [Fact]
    public async Task Should_remind_once_at_90_and_once_at_30_days_also_across_a_restart()
    {
        var time = ManualTime.AtChinaTime(2026, 3, 2);
        var settings = new Dictionary<string, string?> { ["Notifications:ReminderPollMs"] = "50" };
        string connectionString;
        string smsUrl;
        await using (var host = await NotificationsHost.StartAsync(time, settings: settings))
        {
            connectionString = host.ConnectionString;
            smsUrl = host.SmsUrl;
            var applicationId = await host.SubmitAsync();
            await host.PublishAndWaitAsync(new CertificateIssued(
                Guid.NewGuid(), applicationId, NotificationsHost.NumberOf(applicationId), NotificationsHost.County, Licence, "王小明",
                new DateOnly(2026, 3, 2), new DateOnly(2026, 6, 30), time.GetUtcNow()));
            await host.WaitForSentAsync(1);

            time.Set(2026, 3, 31);
            await host.ReminderPassesAsync(2);
            Assert.Equal(0, await RemindersAsync(host, 90));

            time.Set(2026, 4, 1);
            var sent = await host.WaitForSentAsync(2);
            Assert.Equal("【海盐县烟草专卖局】您的烟草专卖零售许可证（330424100001）将于2026-06-30到期。如需继续经营，请于2026-05-31前申请延续。", sent[1]);

            time.Set(2026, 4, 2);
            await host.ReminderPassesAsync(2);
            Assert.Equal(1, await RemindersAsync(host, 90));
        }

        await using var restarted = await NotificationsHost.StartAsync(time, connectionString: connectionString, smsUrl: smsUrl, settings: settings);
        time.Set(2026, 5, 31);
        var after = await restarted.WaitForSentAsync(1);
        Assert.Equal("【海盐县烟草专卖局】您的烟草专卖零售许可证（330424100001）将于2026-06-30到期，延续申请须于2026-05-31前提出，请尽快办理。", Assert.Single(after));

        await restarted.ReminderPassesAsync(2);
        Assert.Equal(1, await RemindersAsync(restarted, 90));
        Assert.Equal(1, await RemindersAsync(restarted, 30));
        Assert.Single(await restarted.SentToAsync());

        var notice = await restarted.Client.GetClerkNoticeAsync(new GetClerkNoticeRequest { Month = "2026-05" }, NotificationsHost.AsOfficer());
        Assert.Equal(1, notice.LicenceCount);
        Assert.Contains("330424100001 王小明 有效期至2026-06-30", notice.Text);
        Assert.Equal(NotificationsHost.County, notice.CountyCode);
    }

    [Fact]
    public async Task Should_not_remind_the_holder_of_a_revoked_licence()
    {
        var time = ManualTime.AtChinaTime(2026, 3, 2);
        await using var host = await NotificationsHost.StartAsync(time, settings: new() { ["Notifications:ReminderPollMs"] = "50" });
        var applicationId = await host.SubmitAsync();
        var certificateId = Guid.NewGuid();
        await host.PublishAndWaitAsync(new CertificateIssued(
            certificateId, applicationId, NotificationsHost.NumberOf(applicationId), NotificationsHost.County, Licence, "王小明",
            new DateOnly(2026, 3, 2), new DateOnly(2026, 6, 30), time.GetUtcNow()));
        await host.PublishAndWaitAsync(new CertificateRevoked(
            certificateId, applicationId, NotificationsHost.County, Licence, 1, "Cancelled", "申请注销", "o-hy-head", time.GetUtcNow()));

        time.Set(2026, 4, 1);
        await host.WaitUntilAsync(
            async () => await host.ScalarAsync<long>(
                "SELECT COUNT(*) FROM notification_reminders WHERE licence_number = @Licence AND status = 'Cancelled'", new { Licence }) == 1,
            "the 90-day reminder cancelled");
        Assert.Equal(0, await RemindersAsync(host, 90));
    }

    [Fact]
    public async Task Should_list_an_imported_licence_in_the_clerks_notice_and_send_no_sms_without_a_phone()
    {
        var time = ManualTime.AtChinaTime(2026, 5, 31);
        await using var host = await NotificationsHost.StartAsync(time, settings: new() { ["Notifications:ReminderPollMs"] = "50" });
        await host.PublishAndWaitAsync(new LicencesImported(Guid.NewGuid(), 1, NotificationsHost.County,
        [
            new ImportedLicence(Guid.NewGuid(), "330424100777", "IndividualBusiness", "李阿姨便利店", "海盐县武原街道某路 1 号",
                new DateOnly(2021, 7, 1), new DateOnly(2026, 6, 30), "Valid", null, null),
            new ImportedLicence(Guid.NewGuid(), "330424100778", "IndividualBusiness", "已注销的店", "海盐县武原街道某路 2 号",
                new DateOnly(2021, 7, 1), new DateOnly(2026, 6, 30), "Revoked", null, null),
        ], time.GetUtcNow()));

        await host.WaitUntilAsync(
            async () => await host.ScalarAsync<long>(
                "SELECT COUNT(*) FROM notification_reminders WHERE licence_number = '330424100777' AND status = 'Cancelled'") == 2,
            "both reminders of the imported licence passed over");
        var notice = await host.Client.GetClerkNoticeAsync(new GetClerkNoticeRequest { Month = "2026-05" }, NotificationsHost.AsOfficer());

        Assert.Equal(1, notice.LicenceCount);
        Assert.Contains("330424100777 李阿姨便利店 有效期至2026-06-30", notice.Text);
        Assert.Equal(0, await host.ScalarAsync<long>("SELECT COUNT(*) FROM notification_messages"));
    }

    private static Task<long> RemindersAsync(NotificationsHost host, int days) =>
        host.ScalarAsync<long>(
            "SELECT COUNT(*) FROM notification_messages WHERE template = @Template", new { Template = $"ExpiryReminder{days}" });
}
