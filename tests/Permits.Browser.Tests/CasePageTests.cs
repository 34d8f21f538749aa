using System.Net;
using System.Text.RegularExpressions;
using Permits.Testing;

namespace Permits.Browser.Tests;

/// <summary>
/// The officer's case page and the shopkeeper's 撤回 read over HTTP as a browser without JavaScript would (forms,
/// antiforgery tokens, redirects), on the embedded system; people sign in at its Identity for real. No chromium needed.
/// </summary>
public sealed partial class When_an_officer_reads_and_decides_a_case_page : IAsyncLifetime
{
    private readonly Browser _system = new();

    public Task InitializeAsync() =>
        _system.StartSystemAsync(new Dictionary<string, string?> { ["Intake:Materials:Required"] = "false" });

    public async Task DisposeAsync() => await _system.DisposeAsync();

    [Fact]
    public async Task Should_show_the_application_as_filed_in_words_and_never_the_codes()
    {
        var (_, casePath) = await CaseFiling.FileAsync(_system, SampleApplications.Individual());
        using var clerk = await OfficerAsync("hy-clerk");

        var html = await clerk.GetStringAsync(casePath);
        var page = Text(html);

        Assert.Contains("个体工商户", page);
        Assert.Contains("王建国", page);
        Assert.Contains("330424198001010012", page);
        Assert.Contains("42.5 平方米", page);
        Assert.Contains("租赁期限届满日", page);
        Assert.DoesNotContain("IndividualBusiness", html);
        Assert.DoesNotContain("租期", page);
    }

    [Fact]
    public async Task Should_not_decide_on_a_post_without_the_confirmation_step()
    {
        var (_, casePath) = await CaseFiling.FileAsync(_system, SampleApplications.Individual());
        using var clerk = await OfficerAsync("hy-clerk");
        var fields = new Dictionary<string, string> { ["reasons"] = "申请人另有说明", ["grounds"] = "NotInScope" };
        var form = await clerk.GetStringAsync(casePath);
        Assert.Contains("value=\"NearSchool\"", form);
        Assert.Contains("依据：《中华人民共和国未成年人保护法》第五十九条", Text(form));

        var summary = await PostAsync(clerk, $"{casePath}?handler=NotAccept", fields, form);
        var forged = await PostAsync(clerk, $"{casePath}?handler=NotAccept",
            new(fields) { ["confirmation"] = "CfDJ8-forged" }, summary.Page);
        var undecided = Text(await clerk.GetStringAsync(casePath));

        Assert.Contains("确认：不予受理", Text(summary.Page));
        Assert.Contains("不予受理决定书（烟草专卖零售许可证核发）", Text(summary.Page));
        Assert.Contains("申请人另有说明", summary.Page);
        Assert.Matches("value=\"NotInScope\"\\s+checked=\"checked\"", summary.Page);
        Assert.Contains("确认：不予受理", Text(forged.Page));
        Assert.Contains("待受理", undecided);
        Assert.Contains("受理（出具受理通知书）", undecided);

        var decided = await PostAsync(clerk, $"{casePath}?handler=NotAccept",
            new(fields) { ["confirmation"] = Confirmation().Match(summary.Page).Groups[1].Value }, summary.Page);

        Assert.Contains("已作出不予受理决定", Text(decided.Page));
        var refused = Text(await clerk.GetStringAsync(casePath));
        Assert.Contains("申请事项依法不需要取得烟草专卖零售许可或者不属于本机关职权范围（依据：《中华人民共和国行政许可法》第三十二条第一款）", refused);
    }

    [Fact]
    public async Task Should_keep_the_confirmation_page_and_ask_for_a_legal_ground_when_none_is_ticked()
    {
        var (_, casePath) = await CaseFiling.FileAsync(_system, SampleApplications.Individual());
        using var clerk = await OfficerAsync("hy-clerk");
        var fields = new Dictionary<string, string> { ["reasons"] = "材料不全" };
        var summary = await PostAsync(clerk, $"{casePath}?handler=NotAccept", fields, await clerk.GetStringAsync(casePath));

        var refused = await PostAsync(clerk, $"{casePath}?handler=NotAccept",
            new(fields) { ["confirmation"] = Confirmation().Match(summary.Page).Groups[1].Value }, summary.Page);

        Assert.Contains("确认：不予受理", Text(refused.Page));
        Assert.Contains("请至少选择一项法定理由", Text(refused.Page));
        Assert.Contains("待受理", Text(await clerk.GetStringAsync(casePath)));
    }

    [Fact]
    public async Task Should_show_a_refused_field_next_to_it_in_chinese()
    {
        var (_, casePath) = await CaseFiling.FileAsync(_system, SampleApplications.Individual());
        using var clerk = await OfficerAsync("hy-clerk");

        var refused = await PostAsync(clerk, $"{casePath}?handler=Correction", new() { ["items"] = "" }, await clerk.GetStringAsync(casePath));

        var error = FieldError().Match(refused.Page);
        Assert.True(error.Success, "no message next to the items field");
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", error.Groups[1].Value);
        Assert.Contains("id=\"items\" name=\"items\" rows=\"4\" aria-describedby=\"items-hint items-error\" aria-invalid=\"true\"", refused.Page);
        Assert.DoesNotMatch("Approve|Deny|Invalid", Text(refused.Page));
    }

    [Fact]
    public async Task Should_withdraw_a_shopkeepers_application_only_after_the_summary()
    {
        var form = SampleApplications.Individual();
        var (applicationId, _) = await CaseFiling.FileAsync(_system, form);
        using var shopkeeper = await ShopkeeperAsync(form.ContactPhone, "/my/" + applicationId);
        var path = "/my/" + applicationId;

        var summary = await PostAsync(shopkeeper, $"{path}?handler=Withdraw", new() { ["Reason"] = "不再经营" }, await shopkeeper.GetStringAsync(path));
        var still = Text(await shopkeeper.GetStringAsync(path));

        Assert.Contains("确认撤回申请", Text(summary.Page));
        Assert.Contains("撤回后不能恢复", Text(summary.Page));
        Assert.DoesNotContain("已撤回", still);

        var withdrawn = await PostAsync(shopkeeper, $"{path}?handler=Withdraw",
            new() { ["Reason"] = "不再经营", ["Confirmation"] = Confirmation().Match(summary.Page).Groups[1].Value }, summary.Page);

        Assert.Contains("申请已撤回", Text(withdrawn.Page));
        Assert.Contains("已撤回", Text(withdrawn.Page));
    }

    /// <summary>An officer's browser session, signed in at Identity's officer page with the demo password.</summary>
    private async Task<HttpClient> OfficerAsync(string username)
    {
        var browser = NewBrowser();
        var signIn = await browser.GetStringAsync("/signin?kind=officer&returnUrl=%2Fofficer");
        using var signedIn = await browser.PostAsync(new Uri(_system.PortalUrl + "/account/officer"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(AnyToken().Match(signIn).Groups[1].Value),
            ["returnUrl"] = WebUtility.HtmlDecode(ReturnUrl().Match(signIn).Groups[1].Value),
            ["username"] = username,
            ["password"] = OfficerSignIn.Password,
        }));
        Assert.True(signedIn.IsSuccessStatusCode, $"signing in {username} answered {(int)signedIn.StatusCode}");
        return browser;
    }

    /// <summary>A shopkeeper's browser session, signed in by the code the fake SMS gateway received.</summary>
    private async Task<HttpClient> ShopkeeperAsync(string phone, string returnUrl)
    {
        var browser = NewBrowser();
        var page = await browser.GetStringAsync("/signin?kind=applicant&returnUrl=" + Uri.EscapeDataString(returnUrl));
        var sms = new Uri(_system.PortalUrl + "/account/sms");
        var fields = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(AnyToken().Match(page).Groups[1].Value),
            ["returnUrl"] = WebUtility.HtmlDecode(ReturnUrl().Match(page).Groups[1].Value),
            ["phone"] = phone,
            ["action"] = "send",
        };
        using (var sent = await browser.PostAsync(sms, new FormUrlEncodedContent(fields)))
        {
            Assert.True(sent.IsSuccessStatusCode, $"sending the code answered {(int)sent.StatusCode}");
        }

        fields["action"] = "verify";
        fields["code"] = await _system.ReadCodeAsync(phone);
        using var verified = await browser.PostAsync(sms, new FormUrlEncodedContent(fields));
        Assert.True(verified.IsSuccessStatusCode, $"verifying the code answered {(int)verified.StatusCode}");
        Assert.Equal(returnUrl, verified.RequestMessage!.RequestUri!.AbsolutePath);
        return browser;
    }

    private HttpClient NewBrowser() =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(_system.PortalUrl), Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>Posts a form with the antiforgery token of the page it is on, following the redirect (POST-redirect-GET).</summary>
    private static Task<(string Url, string Page)> PostAsync(HttpClient browser, string url, Dictionary<string, string> fields, string fromPage) =>
        PortalForms.PostAsync(browser, url, fields, fromPage);

    private static string Text(string page) => PortalForms.Text(page);

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AnyToken();

    [GeneratedRegex("name=\"returnUrl\" value=\"([^\"]*)\"")]
    private static partial Regex ReturnUrl();

    [GeneratedRegex("name=\"(?:confirmation|Confirmation)\" value=\"([^\"]+)\"")]
    private static partial Regex Confirmation();

    [GeneratedRegex("<p class=\"error-message\" id=\"items-error\"><span class=\"visually-hidden\">错误：</span>([^<]+)</p>")]
    private static partial Regex FieldError();
}
