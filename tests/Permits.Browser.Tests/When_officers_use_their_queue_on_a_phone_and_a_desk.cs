using OpenQA.Selenium;

namespace Permits.Browser.Tests;

/// <summary>
/// The queue and the head's board in headless Chromium at 360 px (rows become cards) and 1280 px: nothing wider than
/// the window, the clerk ticks a case and claims it with one button (no script needed), the head's board shows its
/// chart. Screenshots land in artifacts/screenshots for a person to look at.
/// </summary>
public sealed class When_officers_use_their_queue_on_a_phone_and_a_desk : IAsyncLifetime
{
    private readonly Browser _browser = new();

    public async Task InitializeAsync()
    {
        if (Browser.IsInstalled || Browser.UnderCi)
        {
            // The demo applications of 海盐县 give the queue its rows.
            await _browser.StartAsync(360, 900, new Dictionary<string, string?> { ["Demo:Seed"] = "true" });
        }
    }

    public async Task DisposeAsync() => await _browser.DisposeAsync();

    [BrowserFact]
    public void Should_fit_the_window_claim_ticked_cases_and_show_the_head_the_board()
    {
        var b = _browser;

        b.SignInAsOfficer("hy-clerk", "/officer");
        b.RefreshUntil(() => b.Has(By.Name("caseIds")), "the demo cases in the clerk's queue");
        AssertFitsTheWindow(b);
        b.Screenshot("officer-queue-360");
        b.Check("caseIds");
        b.Click(By.XPath("//button[normalize-space()='批量领取勾选的案件']"));
        b.WaitForText("已领取 1 件");
        Assert.Contains("本人", b.Text);
        b.Screenshot("officer-queue-claimed-360");

        b.OpenAnother(1280, 900);
        b.SignInAsOfficer("hy-head", "/officer/board");
        b.WaitForText("期限看板");
        Assert.True(b.Has(By.CssSelector("figure.board-chart svg[role='img'] rect.chart-bar")), b.Text);
        Assert.Contains("本月超期", b.Text);
        AssertFitsTheWindow(b);
        b.Screenshot("officer-board-1280");
        b.Go("/officer?step=all");
        b.WaitForText("全部环节");
        AssertFitsTheWindow(b);
        b.Screenshot("officer-queue-head-1280");
    }

    private static void AssertFitsTheWindow(Browser b)
    {
        var overflow = Convert.ToInt64(b.Driver.ExecuteScript("return document.documentElement.scrollWidth - window.innerWidth;"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(overflow <= 0, $"{b.Driver.Url} is {overflow} px wider than the window");
    }
}
