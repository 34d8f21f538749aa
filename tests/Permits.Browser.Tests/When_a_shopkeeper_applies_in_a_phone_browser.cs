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
            await _browser.StartAsync(390, 1000);
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
        Shopkeeper.UploadMaterials(b);

        b.Click(By.XPath("//button[normalize-space()='提交申请']"));
        b.WaitForUrl(u => u.Contains("/my/", StringComparison.Ordinal), "the status page");
        b.WaitForText("我的申请");
        Assert.Contains("海盐县武原街道惠民便利店", b.Text);
        b.Screenshot("status-page");

        b.Go("/my");
        b.WaitForText("海盐县武原街道惠民便利店");
    }
}
