using OpenQA.Selenium;

namespace Permits.Browser.Tests;

/// <summary>
/// The 系统管理员 (hy-admin) in headless Chromium at 360 px and 1280 px: reaches 工作人员账号, 许可证登记簿, 本县设置 and
/// 节假日安排 from the header, creates an officer and reads the temporary password once, and the new officer's first sign-in asks for a
/// new password and then opens the queue. Screenshots land in artifacts/screenshots for a person to look at.
/// </summary>
public sealed class When_the_system_admin_manages_officer_accounts : IAsyncLifetime
{
    private readonly Browser _browser = new();

    public async Task InitializeAsync()
    {
        if (Browser.IsInstalled || Browser.UnderCi)
        {
            await _browser.StartAsync(360, 900);
        }
    }

    public async Task DisposeAsync() => await _browser.DisposeAsync();

    [BrowserFact]
    public void Should_reach_the_admin_pages_and_create_an_officer_who_signs_in()
    {
        var b = _browser;

        b.SignInAsOfficer("hy-admin", "/admin/officers");
        b.WaitForText("账号列表");
        Assert.Contains("hy-clerk", b.Text);
        AssertFitsTheWindow(b);
        b.Screenshot("admin-officers-360");

        b.Type("username", "hy-clerk8");
        b.Type("display_name", "海盐县受理员八");
        b.Choose("roles");
        b.Click(By.XPath("//button[normalize-space()='新建账号']"));
        b.WaitForText("临时密码只显示这一次");
        var temporary = b.Find(By.Id("temporary-password")).Text.Trim();
        Assert.Equal(12, temporary.Length);
        Assert.Contains("新建账号", b.Find(By.Id("changes-title")).FindElement(By.XPath("..")).Text);
        AssertFitsTheWindow(b);
        b.Screenshot("admin-officers-created-360");

        b.Click(By.LinkText("许可证登记簿"));
        b.WaitForText("导入原系统的许可证");

        // Every page of the administrator is one tap from the header, on a phone too.
        foreach (var (link, shows) in new[] { ("本县设置", "合理布局"), ("节假日安排", "国务院办公厅") })
        {
            b.Click(By.LinkText(link));
            b.WaitForText(shows);
            AssertFitsTheWindow(b);
            b.Screenshot($"admin-{(link == "本县设置" ? "settings" : "calendar")}-360");
            if (link == "本县设置")
            {
                // The form's fields per request type: a choice per field, the locked ones said so, on a phone too.
                b.Driver.ExecuteScript("document.getElementById('fields-title').scrollIntoView();");
                b.Screenshot("admin-settings-fields-360");
            }
        }

        // The years held: each run of days stays whole on a phone (never 01-0 / 1～01-03).
        b.Driver.ExecuteScript("document.getElementById('years-title').scrollIntoView();");
        b.Screenshot("admin-calendar-years-360");
        var runs = b.Driver.FindElements(By.CssSelector(".date-run"));
        Assert.NotEmpty(runs);
        foreach (var run in runs)
        {
            Assert.True(run.Size.Height < 2 * 24, $"The run of days “{run.Text}” breaks over lines ({run.Size.Height} px high).");
        }

        b.OpenAnother(1280, 900);
        b.SignInAsOfficer("hy-admin", "/admin/officers/hy-clerk8");
        b.WaitForText("调整岗位");
        AssertFitsTheWindow(b);
        b.Screenshot("admin-officer-account-1280");
        b.Go("/admin/officers");
        b.WaitForText("账号列表");
        AssertFitsTheWindow(b);
        b.Screenshot("admin-officers-1280");
        b.Go("/admin/settings");
        b.Driver.ExecuteScript("document.getElementById('fields-title').scrollIntoView();");
        AssertFitsTheWindow(b);
        b.Screenshot("admin-settings-fields-1280");

        // The 政务公开专员's annual report draft carries the 好差评 figures, on a desk and on a phone.
        foreach (var width in new[] { 1280, 360 })
        {
            b.OpenAnother(width, 900);
            b.SignInAsOfficer("hy-gongkai", "/officer/annual-reports");
            b.WaitForText("政务服务“好差评”");
            b.Driver.ExecuteScript("arguments[0].scrollIntoView();", b.Find(By.XPath("//caption[starts-with(normalize-space(), '政务服务“好差评”')]")));
            b.Screenshot($"annual-report-ratings-{width}");
        }

        // The new officer's first sign-in: the temporary password, then a new one, then the clerk's queue.
        b.OpenAnother(1280, 900);
        b.Go("/signin?kind=officer&returnUrl=" + Uri.EscapeDataString("/officer"));
        b.Type("username", "hy-clerk8");
        b.Type("password", temporary);
        b.Click(By.CssSelector("button[type='submit']"));
        b.WaitForText("请先设置自己的新密码");
        b.Type("password", temporary);
        b.Type("new_password", "Haiyan2027clerk");
        b.Type("confirm_password", "Haiyan2027clerk");
        b.Click(By.CssSelector("button[type='submit']"));
        b.WaitForUrl(u => u.StartsWith(b.PortalUrl + "/officer", StringComparison.Ordinal), "the new clerk's queue");
        b.WaitForText("海盐县受理员八");
    }

    private static void AssertFitsTheWindow(Browser b)
    {
        var overflow = Convert.ToInt64(b.Driver.ExecuteScript("return document.documentElement.scrollWidth - window.innerWidth;"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(overflow <= 0, $"{b.Driver.Url} is {overflow} px wider than the window");
    }
}
