using System.Net;
using System.Text.RegularExpressions;
using Permits.Contracts.Disclosure.V1;
using Permits.Shared.Security;
using Permits.Testing;

namespace Permits.DisclosureRequests.Tests;

/// <summary>
/// The Portal's pages against the real Disclosure service, as a browser without script posts them: file (with a
/// mistake first), then follow with number and query code; the clerk's queue, case page and an answer. The clerk's
/// Portal session is the cookie the Portal would have made after sign-in (Identity itself is not running).
/// </summary>
public sealed partial class When_a_person_uses_the_request_pages(SqliteFixture fixture) : IClassFixture<SqliteFixture>, IAsyncLifetime
{
    private readonly CookieContainer _cookies = new();
    private PortalUnderTest _portal = null!;
    private HttpClient _browser = null!;

    public async Task InitializeAsync()
    {
        var everyService = fixture.Host.GrpcUrl;
        _portal = await PortalUnderTest.StartAsync(new Dictionary<string, string>
        {
            ["Intake"] = everyService,
            ["Review"] = everyService,
            ["Certificate"] = everyService,
            ["Delivery"] = everyService,
            ["Disclosure"] = everyService,
        });
        _browser = new HttpClient(new HttpClientHandler { CookieContainer = _cookies, AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(_portal.Url),
        };
    }

    public async Task DisposeAsync()
    {
        _browser.Dispose();
        await _portal.DisposeAsync();
    }

    [Fact]
    public async Task Should_show_the_mistakes_then_the_number_and_query_code_then_the_request()
    {
        fixture.Host.Time.Set(2026, 2, 13);
        var form = await _browser.GetStringAsync("/requests");
        var token = Token().Match(form).Groups[1].Value;
        var clientId = ClientId().Match(form).Groups[1].Value;
        Assert.NotEmpty(token);
        var fields = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["Form.ClientRequestId"] = clientId,
            ["Form.CountyCode"] = "330424",
            ["Form.Category"] = "NaturalPerson",
            ["Form.Name"] = "王小明",
            ["Form.IdNumber"] = "110105194912310021",
            ["Form.Phone"] = "13800571234",
            ["Form.Description"] = "2025 年度许可证核发统计表",
            ["Form.PreferredForm"] = "Electronic",
            ["Form.DeliveryMethod"] = "Online",
        };

        var mistaken = await PostAsync("/requests", fields);
        fields["Form.IdNumber"] = Samples.IdNumber;
        var filed = await PostAsync("/requests", fields);
        var number = Number().Match(filed).Value;
        var code = Code().Match(filed).Groups[1].Value;
        var followForm = await _browser.GetStringAsync("/requests/follow");
        var followed = await PostAsync("/requests/follow", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Token().Match(followForm).Groups[1].Value,
            ["Number"] = number,
            ["Code"] = code,
        });

        Assert.Contains("提交前请修改以下问题", mistaken);
        Assert.Contains("身份证号码不正确", mistaken);
        Assert.Contains("申请已提交", filed);
        Assert.Matches("^[2-9A-Z]{8}$", code);
        Assert.Contains("2026-03-19", filed);
        Assert.Contains("办理中", followed);
        Assert.Contains("王**", followed);
        Assert.DoesNotContain(Samples.IdNumber, followed);
    }

    [Fact]
    public async Task Should_show_the_clerk_the_queue_and_the_case_and_take_the_answer()
    {
        fixture.Host.Time.Set(2026, 3, 2);
        var filed = await fixture.Host.Public.FileRequestAsync(Samples.Person());
        SignIn(PermitsRoles.DisclosureClerk);

        var queue = await GetAsync("/officer/disclosure-requests");
        var casePage = await GetAsync($"/officer/disclosure-requests/{filed.RequestNumber}");
        using var answer = await _browser.PostAsync($"/officer/disclosure-requests/{filed.RequestNumber}?handler=Answer", new FormUrlEncodedContent(
            new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = Token().Match(casePage).Groups[1].Value,
                ["outcome"] = "Disclosed",
                ["reason"] = "",
            }));
        var answered = await GetAsync($"/officer/disclosure-requests/{filed.RequestNumber}");
        var figures = await GetAsync("/officer/disclosure-requests/figures?year=2026");

        Assert.Contains(filed.RequestNumber, queue);
        Assert.Contains(">2026-03-30</time>", queue);
        Assert.Contains(Samples.IdNumber, casePage);
        Assert.Contains("出具补正告知书", casePage);
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        Assert.Contains("已作出答复", answered);
        Assert.Contains("予以公开（2026-03-02）", answered);
        Assert.Contains("测试工作人员", answered);
        Assert.Contains("一、本年新收政府信息公开申请数量", figures);
    }

    [Fact]
    public async Task Should_keep_licensing_officers_out_of_the_desk_pages()
    {
        SignIn(PermitsRoles.Clerk);

        using var response = await _browser.GetAsync("/officer/disclosure-requests");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var refusal = new Uri(response.RequestMessage!.RequestUri!, response.Headers.Location!);
        Assert.Equal("/status/403", refusal.AbsolutePath);
        // The page that says so, with the way to the clerk's own start page.
        using var page = await _browser.GetAsync(refusal);
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Contains(">前往待办队列<", await page.Content.ReadAsStringAsync());
    }

    /// <summary>The session cookie the Portal issues after sign-in, carrying the officer's access token.</summary>
    private void SignIn(string role) => _portal.SignIn(
        _cookies,
        Tokens.OfficerFor(PermitsAudiences.Disclosure, RequestsHost.Haiyan, role),
        (PermitsClaims.Subject, "officer-330424-" + role), (PermitsClaims.Name, "测试工作人员"), (PermitsClaims.Role, role),
        (PermitsClaims.County, RequestsHost.Haiyan));

    private async Task<string> GetAsync(string path)
    {
        using var response = await _browser.GetAsync(path);
        var body = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        return body;
    }

    private async Task<string> PostAsync(string path, Dictionary<string, string> fields)
    {
        using var response = await _browser.PostAsync(path, new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    [GeneratedRegex("name=\"Form.ClientRequestId\" value=\"([0-9a-f]+)\"")]
    private static partial Regex ClientId();

    [GeneratedRegex(@"YSQ-330424-2026-\d{5}")]
    private static partial Regex Number();

    [GeneratedRegex(@"查询码：<strong class=""number"">([2-9A-Z]{8})</strong>")]
    private static partial Regex Code();
}
