using OpenQA.Selenium;
using Permits.Shared.Domain;
using Permits.Testing;

namespace Permits.Browser.Tests;

/// <summary>
/// Issues 3 and 4 end to end in one browser: the shopkeeper (a phone-sized window) applies, the clerk (a desktop
/// window) claims the case and asks for a correction, the shopkeeper fixes and resubmits, the clerk accepts, the head
/// approves, the fake courier delivers, the shopkeeper rates the service 不满意, and the head follows the 差评 up from
/// the deadline board (the rater is told the rectification by SMS).
/// </summary>
public sealed class When_an_application_needs_a_correction_before_approval : IAsyncLifetime
{
    private const string Phone = "13900571234";
    private const string CorrectionReason = "请上传清晰的营业执照副本";
    private readonly Browser _browser = new();
    public async Task InitializeAsync()
    {
        // Without chromium the [BrowserFact] tests are skipped (outside CI), so nothing needs starting.
        if (Browser.IsInstalled || Browser.UnderCi)
        {
            // Awake at any hour and uncapped: the test reads the rater's SMS whenever CI runs it.
            await _browser.StartAsync(390, 1000, new Dictionary<string, string?>
            {
                ["Notifications:QuietHoursStart"] = "0",
                ["Notifications:QuietHoursEnd"] = "0",
                ["Notifications:DailyCapPerNumber"] = "100",
            });
        }
    }

    public async Task DisposeAsync() => await _browser.DisposeAsync();

    [BrowserFact]
    public async Task Should_loop_through_the_correction_be_approved_delivered_and_rated()
    {
        var b = _browser;

        // The shopkeeper applies.
        await b.SignInByCodeAsync(Phone, "/apply");
        Shopkeeper.FillForm(b);
        Shopkeeper.UploadMaterials(b);
        b.Click(By.XPath("//button[normalize-space()='提交申请']"));
        b.WaitForUrl(u => u.Contains("/my/", StringComparison.Ordinal), "the status page");
        var statusPath = new Uri(b.Driver.Url).AbsolutePath;

        // The clerk, at a desktop browser, claims it from the queue and asks for a correction.
        var shopkeeper = 0;
        var officer = b.OpenAnother(1280, 900);
        b.SignInAsOfficer("hy-clerk", "/officer");
        b.RefreshUntil(() => b.Text.Contains(Shopkeeper.BusinessName, StringComparison.Ordinal), "the case in the clerk's queue");
        b.Screenshot("officer-queue");
        b.Click(By.XPath("//button[starts-with(normalize-space(), '领取并办理')]"));
        b.WaitForUrl(u => u.Contains("/officer/case/", StringComparison.Ordinal), "the case view");
        var casePath = new Uri(b.Driver.Url).PathAndQuery;
        b.WaitForText(Shopkeeper.BusinessName);
        b.Screenshot("officer-case");

        // The clerk sees the four materials with their type, size and hash, and downloads one as an attachment.
        var links = b.Driver.FindElements(By.CssSelector("#case-materials a[href^='/officer/materials/']"));
        Assert.Equal(4, links.Count);
        b.Driver.ExecuteScript("document.getElementById('case-materials').scrollIntoView();");
        b.Screenshot("officer-case-materials");
        Assert.Contains("PNG 图片", b.Text);
        var download = new Uri(links[0].GetAttribute("href")!).AbsolutePath;
        using (var file = await b.FetchAsync(download))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, file.StatusCode);
            Assert.Contains(file.Content.Headers.ContentType!.MediaType, new[] { "image/png", "application/pdf" });
            Assert.Equal("attachment", file.Content.Headers.ContentDisposition!.DispositionType);
            Assert.Contains(".", file.Content.Headers.ContentDisposition.FileNameStar ?? file.Content.Headers.ContentDisposition.FileName);
            Assert.Equal("nosniff", Assert.Single(file.Headers.GetValues("X-Content-Type-Options")));
            Assert.True((await file.Content.ReadAsByteArrayAsync()).Length > 0);
        }

        using (var anonymous = await b.FetchAsync(download, withCookies: false))
        {
            Assert.NotEqual(System.Net.HttpStatusCode.OK, anonymous.StatusCode);
        }

        b.Type("items", "营业执照：" + CorrectionReason);
        b.Click(By.XPath("//button[normalize-space()='出具补正材料告知书']"));
        b.WaitForText("已出具补正材料告知书");

        // The shopkeeper sees the items, fixes and resubmits.
        b.Use(shopkeeper);
        b.Go(statusPath);
        b.RefreshUntil(() => b.Has(By.LinkText("去补正")), "the correction notice on the status page");
        Assert.Contains(CorrectionReason, b.Text);
        Assert.Contains("已出具的文书", b.Text);
        Assert.Contains("补正材料告知书", b.Text);
        Assert.Contains("补正期间暂停计时", b.Text);
        b.Screenshot("status-correction");
        b.Click(By.LinkText("去补正"));
        b.WaitForText("补正申请材料");
        Assert.Contains(CorrectionReason, b.Text);
        b.Type("floor_area", "36");
        // The business licence asked for: a new file goes to the application; the typed change stays on the page.
        b.Select("kind", "BusinessLicence");
        b.Find(By.Id("content")).SendKeys(b.WriteFile("business-licence-clear.pdf", Browser.Pdf()));
        b.Click(By.XPath("//button[normalize-space()='上传材料']"));
        b.WaitForText("business-licence-clear.pdf");
        Assert.Equal("36", b.Find(By.Id("floor_area")).GetAttribute("value"));
        Assert.Contains(CorrectionReason, b.Text);
        b.Screenshot("apply-correction");
        b.Click(By.XPath("//button[normalize-space()='提交补正']"));
        b.WaitForUrl(u => u.EndsWith(statusPath, StringComparison.Ordinal), "the status page after resubmitting");

        // Back in the clerk's queue; the clerk accepts it.
        b.Use(officer);
        b.Go("/officer");
        b.RefreshUntil(() => b.Text.Contains(Shopkeeper.BusinessName, StringComparison.Ordinal), "the resubmitted case back in the queue");
        b.Go(casePath);
        var accept = By.XPath("//button[starts-with(normalize-space(), '受理')]");
        b.RefreshUntil(() => b.Has(accept), "the accept action on the resubmitted case");
        b.Click(accept);
        b.WaitForText("已受理");

        // Another county's clerk, signed in for real, cannot download the materials even with the link.
        b.SignOut();
        b.SignInAsOfficer("js-clerk", "/officer");
        using (var refused = await b.FetchAsync(download))
        {
            Assert.Equal(System.Net.HttpStatusCode.Forbidden, refused.StatusCode);
        }

        // Two inspectors visit the premises (the first records it and where it is), the reviewer recommends approval.
        b.SignOut();
        b.SignInAsOfficer("hy-inspector1", "/officer");
        b.Go(casePath);
        b.Type("second_inspector_id", "o-hy-inspector2");
        b.Type("measured_floor_area", "35.5");
        b.Type("latitude", "30.54000");
        b.Type("longitude", "120.93000");
        b.Type("findings", "场所与申报一致，证照齐全。");
        b.Type("distances", "最近零售户：120\n学校：800");
        b.Type("photo_references", "P0001");
        b.Check("compliant");
        b.Click(By.XPath("//button[normalize-space()='登记实地核查记录']"));
        b.WaitForText("已登记实地核查记录");

        b.SignOut();
        b.SignInAsOfficer("hy-reviewer", "/officer");
        b.Go(casePath);
        b.Driver.ExecuteScript("document.querySelector(\"input[name='recommendation'][value='Approve']\").click();");
        b.Type("opinion", "材料齐全，核查符合条件，建议准予许可。");
        b.Click(By.XPath("//button[normalize-space()='提出审核意见']"));
        b.WaitForText("已提出审核意见");

        // The head approves, confirming on the summary page.
        b.SignOut();
        b.SignInAsOfficer("hy-head", "/officer");
        b.Go(casePath);
        var approve = By.XPath("//button[normalize-space()='准予行政许可…']");
        b.RefreshUntil(() => b.Has(approve), "the approve action for the head");
        b.Click(approve);
        b.WaitForText("确认：准予行政许可");
        b.Click(By.XPath("//button[normalize-space()='确认准予行政许可']"));
        b.WaitForText("已准予许可");
        b.Screenshot("officer-approved");

        // Delivered by the fake courier; the shopkeeper rates the service.
        b.Use(shopkeeper);
        b.Go(statusPath);
        b.RefreshUntil(() => b.Has(By.Id("level-VerySatisfied")), "the rating form after delivery", seconds: 60);
        b.Screenshot("rating");
        b.Choose("level-Dissatisfied");
        b.Type("rate-comment", "补正要求没有一次说清楚，跑了两趟。");
        b.Click(By.XPath("//button[normalize-space()='提交评价']"));
        b.WaitForText("您的评价");
        Assert.Contains("不满意", b.Text);

        // The 差评 waits on the head's deadline board; the head records the contact and the rectification there.
        b.Use(officer);
        b.Go("/officer/board");
        var followUp = By.CssSelector("form[aria-label^='登记差评回访']");
        b.RefreshUntil(() => b.Has(followUp), "the 差评 on the head's board", seconds: 60);
        Assert.Contains("补正要求没有一次说清楚", b.Text);
        b.Driver.ExecuteScript("document.getElementById('ratings').scrollIntoView();");
        b.Screenshot("officer-board-rating-1280");
        b.Driver.ExecuteScript("document.getElementById('contacted-on-1').value = arguments[0];",
            ChinaTime.Today(TimeProvider.System).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        b.Type("contact-method-1", "电话");
        b.Type("rater-said-1", "补正通知只写了一项，第二次才知道营业执照要副本。");
        const string Rectification = "补正通知书逐项列明全部问题，并附材料示例。";
        b.Type("rectification-1", Rectification);
        b.Click(By.XPath("//button[normalize-space()='登记回访并办结']"));
        b.WaitForText("没有等待回访的差评", seconds: 30);

        // The rater is told what was done.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        await Eventually.GetAsync(
            async () => (string?)await http.GetStringAsync($"{b.SmsUrl}/api/v1/messages?phone={Shopkeeper.ContactPhone}"),
            texts => texts.Contains(Rectification, StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the SMS telling the rater the rectification");
    }
}
