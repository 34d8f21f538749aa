using Permits.Contracts.Licensing;
using System.Net;
using System.Text.RegularExpressions;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Permits.Contracts.Intake;
using Permits.Contracts.Intake.V1;
using Permits.Embedded;
using Permits.LocalInfra;
using Permits.Shared.Domain;
using Permits.Testing;

namespace Permits.Review.Tests;

/// <summary>
/// The officer pages of the Portal, driven over HTTP as a browser without JavaScript would (forms, redirects,
/// antiforgery tokens), on the embedded system. Each officer signs in at the embedded Identity service (the demo
/// accounts of 海盐县) with their own browser session.
/// </summary>
public sealed partial class When_an_officer_works_the_queue_in_the_portal : IAsyncLifetime
{
    private readonly string _data = TestData.NewFolder("officer-pages");
    private WebApplication _app = null!;
    private string _portal = "";
    private HttpClient _clerk = null!;
    private HttpClient _inspector = null!;
    private HttpClient _head = null!;
    private Applications.ApplicationsClient _intake = null!;

    public async Task InitializeAsync()
    {
        var grpc = $"http://127.0.0.1:{FreePort.Next()}";
        var portal = $"http://127.0.0.1:{FreePort.Next()}";
        _app = EmbeddedHost.Build([], new Dictionary<string, string?>
        {
            ["urls"] = portal,
            ["Grpc:Url"] = grpc,
            ["DataDirectory"] = _data,
            ["FakeCourier:Url"] = $"http://127.0.0.1:{FreePort.Next()}",
            // Not the fixed default port: other test runs on this machine may hold it.
            ["FakeSms:Url"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["Demo:Seed"] = "false",
            // These tests are about the officer pages: applications come from a signed-in shopkeeper, without materials.
            ["Intake:Materials:Required"] = "false",
        });
        await _app.StartAsync();
        _intake = new Applications.ApplicationsClient(Channels.For(grpc));
        _portal = portal;
        _clerk = await SignInAsync("hy-clerk");
        _inspector = await SignInAsync("hy-inspector1");
        _head = await SignInAsync("hy-head");
    }

    public async Task DisposeAsync()
    {
        _clerk.Dispose();
        _inspector.Dispose();
        _head.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static readonly Dictionary<string, string> NoFields = [];

    [Fact]
    public async Task Should_send_an_officer_who_is_not_signed_in_to_sign_in()
    {
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(_portal) };

        using var response = await anonymous.GetAsync("/officer");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/signin", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Should_refuse_a_submission_without_a_shopkeepers_sign_in_in_the_embedded_host()
    {
        var error = await Assert.ThrowsAsync<global::Grpc.Core.RpcException>(() => _intake.SubmitAsync(SampleApplications.Individual()).ResponseAsync);

        Assert.Equal(global::Grpc.Core.StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task Should_show_only_the_signed_in_officers_county()
    {
        var haiyan = await SubmitAsync(SampleApplications.Individual());
        var jiashan = await SubmitAsync(SampleApplications.Individual("330421"));
        using var jiashanClerk = await SignInAsync("js-clerk");
        await Eventually.GetAsync(
            async () => await GetAsync(_clerk, "/officer"), page => page.Contains(haiyan.ApplicationNumber),
            TimeSpan.FromSeconds(30), "the Haiyan application in the queue");
        var jiashanQueue = await Eventually.GetAsync(
            async () => await GetAsync(jiashanClerk, "/officer?county=330424"), page => page.Contains(jiashan.ApplicationNumber),
            TimeSpan.FromSeconds(30), "the Jiashan application in the Jiashan queue");
        Assert.DoesNotContain(haiyan.ApplicationNumber, jiashanQueue);

        // A Haiyan case's link typed in by a Jiashan officer: Review refuses it.
        var link = await LinkToAsync(haiyan.ApplicationNumber);
        var refused = Text(await GetAsync(jiashanClerk, link));
        Assert.Contains("不属于本县", refused);
        Assert.DoesNotContain(haiyan.ApplicationNumber, refused);
    }

    [Fact]
    public async Task Should_claim_request_a_correction_accept_and_approve_confirming_each_step()
    {
        var first = await SubmitAsync(SampleApplications.Individual());
        var second = await SubmitAsync(SampleApplications.Enterprise());
        var queue = await Eventually.GetAsync(
            async () => await GetAsync(_clerk, "/officer"),
            page => page.Contains(first.ApplicationNumber) && page.Contains(second.ApplicationNumber),
            TimeSpan.FromSeconds(30), "both applications in the queue");
        Assert.Contains("待受理：2 件", Text(queue));
        Assert.Contains(">待办队列</a>", queue);
        Assert.DoesNotContain(">我的办件</a>", queue);

        // Take the nearest deadline: the first application.
        var (claimedUrl, claimed) = await PostAsync(_clerk, "/officer?handler=ClaimNext", NoFields, queue);
        Assert.Contains("已领取期限最近的案件", Text(claimed));
        Assert.Contains(first.ApplicationNumber, Text(claimed));
        var firstCase = CaseUrl().Match(claimedUrl).Value;

        var (_, corrected) = await PostAsync(_clerk, $"{firstCase}?handler=Correction",
            new() { ["items"] = "场所使用证明：租赁合同缺少出租方签章\n身份证明：复印件不清晰" }, claimed);
        Assert.Contains("已出具补正材料告知书", Text(corrected));
        Assert.Contains("共 2 项", Text(corrected));
        Assert.Contains("待补正", Text(corrected));

        // The second: accepted by the clerk; an inspector may not approve; the head approves.
        var secondPage = await GetAsync(_clerk, await LinkToAsync(second.ApplicationNumber));
        Assert.Contains("企业（含其他组织）", Text(secondPage));
        Assert.DoesNotContain("Enterprise", Text(secondPage));
        var secondCase = CaseUrl().Match(await LinkToAsync(second.ApplicationNumber)).Value;
        var (_, accepted) = await PostAsync(_clerk, $"{secondCase}?handler=Accept", NoFields, secondPage);
        Assert.Contains("已受理", Text(accepted));
        Assert.Contains("许受", Text(accepted));

        var (_, refused) = await PostAsync(_inspector, $"{secondCase}?handler=Approve", NoFields, await GetAsync(_inspector, secondCase));
        Assert.Contains("未能办理：准予行政许可须由审批岗位办理", Text(refused));

        // A new licence needs the site inspection (two inspectors) and the review opinion before the head decides.
        var (_, early) = await PostAsync(_head, $"{secondCase}?handler=Approve", NoFields, await GetAsync(_head, secondCase));
        Assert.Contains("尚缺实地核查记录", Text(early));
        Assert.Contains("尚缺审核意见", Text(early));
        var (_, inspected) = await PostAsync(_inspector, $"{secondCase}?handler=Inspection", new()
        {
            ["secondInspector"] = "hy-inspector2",
            ["inspectedOn"] = ChinaTime.Text(TimeProvider.System.Today()),
            ["floorArea"] = "48.5",
            ["findings"] = "经营场所与住所相独立",
            ["distances"] = "最近零售户：120",
            ["compliant"] = "true",
            ["latitude"] = "30.4102",
            ["longitude"] = "120.8107",
        }, await GetAsync(_inspector, secondCase));
        Assert.Contains("已登记实地核查记录", Text(inspected));
        using var reviewer = await SignInAsync("hy-reviewer");
        var (_, reviewed) = await PostAsync(reviewer, $"{secondCase}?handler=Opinion",
            new() { ["recommendation"] = "Approve", ["opinion"] = "符合条件，建议准予" }, await GetAsync(reviewer, secondCase));
        Assert.Contains("已提出审核意见", Text(reviewed));

        // Approval is irreversible: the first post shows what will happen; only the second, carrying its token, acts.
        var (_, summary) = await PostAsync(_head, $"{secondCase}?handler=Approve", NoFields, await GetAsync(_head, secondCase));
        Assert.Contains("准予行政许可决定书", Text(summary));
        Assert.DoesNotContain("已准予许可，", Text(summary));
        var confirmation = Confirmation().Match(summary);
        Assert.True(confirmation.Success, "the summary has no confirmation step");
        var (_, approved) = await PostAsync(_head, $"{secondCase}?handler=Approve",
            new() { ["confirmation"] = WebUtility.HtmlDecode(confirmation.Groups[1].Value) }, summary);
        Assert.Contains("已准予许可，准予行政许可决定书文号", Text(approved));
        Assert.Contains("已准予许可", Text(approved));
    }

    [Fact]
    public async Task Should_show_the_layout_check_for_a_site()
    {
        var submitted = await SubmitAsync(SampleApplications.Individual());
        var link = await Eventually.GetAsync(
            async () => { try { return await LinkToAsync(submitted.ApplicationNumber); } catch (InvalidOperationException) { return null; } },
            _ => true, TimeSpan.FromSeconds(30), "the case in the queue");

        var page = Text(await GetAsync(_clerk, $"{link}?lat=30.52715&lon=120.94425"));

        Assert.Contains("不符合合理布局规定", page);
        Assert.Contains("海盐县实验小学（学校）：19 米", page);
    }

    [Fact]
    public async Task Should_show_the_licence_a_request_concerns_and_whether_its_applicant_holds_it()
    {
        // A 补办 as Intake announces it once Certificate matched the applicant to the holder by the 身份证号.
        var number = $"330424-29991231-{Random.Shared.Next(10000, 99999)}";
        await _app.Services.GetRequiredService<IBus>().Publish(new ApplicationSubmitted(
            Guid.NewGuid(), number, "330424", RequestTypes.Reissue, "IndividualBusiness", "海盐县武原街道惠民便利店", null, "王建国",
            "浙江省嘉兴市海盐县武原街道向阳路 18 号", 42.5m, null,
            new Permits.Contracts.DeliveryChoice(Permits.Contracts.DeliveryMethod.Pickup, "王建国", "13800571234", null), DateTimeOffset.UtcNow)
        {
            LicenceNumber = "330424100001",
            HolderMatch = "IdNumber",
        });
        var link = await Eventually.GetAsync(
            async () => Regex.IsMatch(await GetAsync(_clerk, "/officer"), Regex.Escape(number)) ? await LinkToAsync(number) : null,
            l => l is not null, TimeSpan.FromSeconds(30), "the reissue in the queue");

        var page = Text(await GetAsync(_clerk, link!));

        Assert.Contains("申请所涉许可证", page);
        Assert.Contains("330424100001", page);
        Assert.Contains("负责人居民身份证号码与持证人相符", page);
    }

    private async Task<string> LinkToAsync(string applicationNumber)
    {
        var queue = await GetAsync(_clerk, "/officer");
        var match = Regex.Match(queue, $"href=\"(/officer/case/[^\"]+)\">{Regex.Escape(applicationNumber)}<");
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : throw new InvalidOperationException($"{applicationNumber} is not in the queue.");
    }

    private static async Task<string> GetAsync(HttpClient browser, string url) => await browser.GetStringAsync(url);

    /// <summary>A browser session signed in as a demo officer through the Portal's 登录 and Identity's officer page.</summary>
    private async Task<SubmitApplicationResponse> SubmitAsync(SubmitApplicationRequest request) =>
        await _intake.SubmitAsync(request, await DemoApplicants.HeadersAsync(_app.Services, request.ContactPhone, CancellationToken.None));

    private async Task<HttpClient> SignInAsync(string username)
    {
        var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(_portal) };
        using var signInPage = await browser.GetAsync("/signin?kind=officer&returnUrl=%2Fofficer");
        var html = await signInPage.Content.ReadAsStringAsync();
        Assert.True(signInPage.IsSuccessStatusCode, $"the sign-in page answered {(int)signInPage.StatusCode}");
        var form = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(AnyToken().Match(html).Groups[1].Value),
            ["returnUrl"] = WebUtility.HtmlDecode(ReturnUrl().Match(html).Groups[1].Value),
            ["username"] = username,
            ["password"] = "Permits@2026",
        };
        using var signedIn = await browser.PostAsync(new Uri(signInPage.RequestMessage!.RequestUri!, "/account/officer"), new FormUrlEncodedContent(form));
        var landed = await signedIn.Content.ReadAsStringAsync();
        Assert.True(signedIn.IsSuccessStatusCode, $"signing in {username} answered {(int)signedIn.StatusCode}: {landed}");
        Assert.Equal("/officer", signedIn.RequestMessage!.RequestUri!.AbsolutePath);
        return browser;
    }

    /// <summary>Posts a form with the antiforgery token of the page it is on, following the redirect (POST-redirect-GET).</summary>
    private static Task<(string Url, string Page)> PostAsync(HttpClient browser, string url, Dictionary<string, string> fields, string fromPage) =>
        PortalForms.PostAsync(browser, url, fields, fromPage);

    private static string Text(string page) => PortalForms.Text(page);

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AnyToken();

    [GeneratedRegex("name=\"confirmation\" value=\"([^\"]+)\"")]
    private static partial Regex Confirmation();

    [GeneratedRegex("name=\"returnUrl\" value=\"([^\"]*)\"")]
    private static partial Regex ReturnUrl();

    [GeneratedRegex("/officer/case/[0-9a-f-]{36}")]
    private static partial Regex CaseUrl();
}
