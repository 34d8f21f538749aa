using OpenQA.Selenium;

namespace Permits.Browser.Tests;

/// <summary>Issue 3: a shopkeeper on a phone signs in by SMS code, fills the form, uploads the materials and submits.</summary>
public sealed class When_a_shopkeeper_applies_in_a_phone_browser : IAsyncLifetime
{
    private readonly Browser _browser = new();
    public async Task InitializeAsync()
    {
        // Without chromium the [BrowserFact] tests are skipped (outside CI), so nothing needs starting.
        if (Browser.IsInstalled || Browser.UnderCi)
        {
            await _browser.StartAsync(360, 1000);
        }
    }

    public async Task DisposeAsync() => await _browser.DisposeAsync();

    [BrowserFact]
    public async Task Should_submit_the_form_with_materials_and_show_the_status()
    {
        var b = _browser;
        await b.SignInByCodeAsync("13800571234", "/apply");
        Shopkeeper.FillForm(b);
        b.Screenshot("apply-form");
        AssertFitsTheScreen(b);
        Shopkeeper.UploadMaterials(b);

        b.Click(By.XPath("//button[normalize-space()='提交申请']"));
        b.WaitForUrl(u => u.Contains("/my/", StringComparison.Ordinal), "the status page");
        b.WaitForText("我的申请");
        Assert.Contains("海盐县武原街道惠民便利店", b.Text);
        b.Screenshot("status-page");
        AssertFitsTheScreen(b);
        Assert.Contains("受理期限", b.Text);
        // The stepper at the top: 提交申请 done, 受理 current; the history waits folded below.
        Assert.Equal("受理（当前）", b.Find(By.CssSelector(".stepper [aria-current='step'] .step-name")).GetAttribute("textContent"));
        Assert.Null(b.Find(By.CssSelector("details.history")).GetAttribute("open"));

        b.Go("/my");
        b.WaitForText("海盐县武原街道惠民便利店");
    }

    [BrowserFact]
    public async Task Should_show_only_the_fields_the_chosen_type_asks_for_in_that_county()
    {
        var b = _browser;
        await b.SignInByCodeAsync("13700571234", "/apply");
        b.Find(By.Id("county_code"));
        b.Type("business_name", "嘉善县罗星街道便民商店");
        b.Select("county_code", "330421");
        b.Select("request_type", "Reissue");
        b.Click(By.XPath("//button[normalize-space()='按所选事项显示表单']"));
        b.WaitForText("嘉善县办理“补办”需要填写的项目");

        // 嘉善县 does not ask the premises for a reissue; it does ask the licence held now.
        Assert.False(b.Has(By.Id("premises_address")));
        Assert.False(b.Has(By.Id("floor_area")));
        Assert.Contains("现持有许可证号（必填）", b.Text);
        Assert.Equal("嘉善县罗星街道便民商店", b.Find(By.Id("business_name")).GetAttribute("value"));
        b.Screenshot("apply-form-reissue");
        AssertFitsTheScreen(b);

        // Submitting without the licence number: the message is next to that field, in Chinese; nothing typed is lost.
        b.Click(By.XPath("//button[normalize-space()='提交申请']"));
        b.WaitForText("提交前请修改以下问题");
        Assert.Contains("请填写现持有的烟草专卖零售许可证号", b.Find(By.Id("licence_number-error")).Text);
        Assert.Equal("嘉善县罗星街道便民商店", b.Find(By.Id("business_name")).GetAttribute("value"));

        // A 变更 in 海盐县 asks what changed, and the premises again.
        b.Select("county_code", "330424");
        b.Select("request_type", "Change");
        b.Click(By.XPath("//button[normalize-space()='按所选事项显示表单']"));
        b.WaitForText("海盐县办理“变更”需要填写的项目");
        Assert.True(b.Has(By.CssSelector("input[type='checkbox'][name='Form.ChangeItems']")));
        Assert.True(b.Has(By.Id("premises_address")));
        Assert.Contains("变更事项（必填）", b.Text);
        Assert.True(b.Has(By.Id("changed_on")));
        Assert.Contains("变更应自发生之日起 30 日内申请", b.Text);
        // Consent to electronic service is asked of every applicant, unticked until they tick it.
        Assert.False(b.Find(By.Id("electronic_service_consent")).Selected);
        Assert.Contains("同意电子送达", b.Text);
        AssertFitsTheScreen(b);
    }

    /// <summary>Readable on a 360-px-wide phone: nothing wider than the window (no sideways scrolling).</summary>
    private static void AssertFitsTheScreen(Browser b)
    {
        var widths = (IReadOnlyCollection<object>)b.Driver.ExecuteScript(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth];")!;
        var (scroll, client) = (Convert.ToInt64(widths.First()), Convert.ToInt64(widths.Last()));
        Assert.True(scroll <= client, $"The page is {scroll}px wide in a {client}px window.");
    }
}
