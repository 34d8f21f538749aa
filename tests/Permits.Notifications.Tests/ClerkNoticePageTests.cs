using System.Net;
using Permits.Contracts.Certificate;
using Permits.Testing;

namespace Permits.Notifications.Tests;

/// <summary>
/// The county's clerk reads May's notice of the licences expiring in June on the Portal (许可证到期提醒), reached from
/// the officer navigation; officers of other roles have no link, and another county's clerk sees none of it.
/// </summary>
public sealed class When_the_clerk_opens_the_expiry_notice_in_the_portal
{
    [Fact]
    public async Task Should_list_next_months_expiring_licences_of_the_county_only()
    {
        var time = ManualTime.AtChinaTime(2026, 5, 31);
        await using var host = await NotificationsHost.StartAsync(time, settings: new() { ["Notifications:ReminderPollMs"] = "50" });
        await host.PublishAndWaitAsync(new LicencesImported(Guid.NewGuid(), 1, NotificationsHost.County,
        [
            new ImportedLicence(Guid.NewGuid(), "330424100777", "IndividualBusiness", "李阿姨便利店", "海盐县武原街道某路 1 号",
                new DateOnly(2021, 7, 1), new DateOnly(2026, 6, 30), "Valid", null, null),
        ], time.GetUtcNow()));
        await host.WaitUntilAsync(
            async () => await host.ScalarAsync<long>("SELECT COUNT(*) FROM clerk_notices WHERE month = '2026-05'") == 1,
            "May's notice written");
        await using var portal = await PortalUnderTest.StartAsync(new Dictionary<string, string> { ["Notifications"] = host.GrpcUrl });

        using var clerk = portal.Officer("permits-notifications", NotificationsHost.County, "clerk");
        var home = await clerk.GetStringAsync("/officer/licences");
        Assert.Contains("href=\"/officer/expiry-notice\"", home);
        var page = WebUtility.HtmlDecode(await clerk.GetStringAsync("/officer/expiry-notice?month=2026-05"));
        Assert.Contains("2026年6月到期的烟草专卖零售许可证共1件", page);
        Assert.Contains("到期许可证（1 件）", page);
        Assert.Contains("<li>330424100777 李阿姨便利店 有效期至2026-06-30</li>", page);

        var april = WebUtility.HtmlDecode(await clerk.GetStringAsync("/officer/expiry-notice?month=2026-04"));
        Assert.Contains("2026-04 没有到期提醒", april);
        var wrong = WebUtility.HtmlDecode(await clerk.GetStringAsync("/officer/expiry-notice?month=May"));
        Assert.Contains("月份格式应为 2026-05", wrong);

        using var elsewhere = portal.Officer("permits-notifications", NotificationsHost.OtherCounty, "clerk");
        var theirs = WebUtility.HtmlDecode(await elsewhere.GetStringAsync("/officer/expiry-notice?month=2026-05"));
        Assert.DoesNotContain("330424100777", theirs);
        Assert.Contains("2026-05 没有到期提醒", theirs);

        using var inspector = portal.Officer("permits-notifications", NotificationsHost.County, "inspector");
        Assert.DoesNotContain("/officer/expiry-notice", await inspector.GetStringAsync("/officer/licences"));
    }
}
