using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Grpc.Core;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Permits.Contracts.Certificate;
using Permits.Contracts.Intake.V1;
using Permits.Embedded;
using Permits.LocalInfra;
using Permits.Testing;

namespace Permits.Delivery.Tests;

/// <summary>
/// The shipment pages of the Portal on the embedded system, driven over HTTP as a browser without JavaScript would:
/// the shopkeeper signs in by SMS and sees the pickup code on their application; the 海盐 clerk lists the county's
/// shipments and hands the licence over on the code the shopkeeper shows; a 嘉善 clerk is refused. Everyone signs in
/// at the embedded Identity service; the licence is issued by publishing CertificateIssued, as Certificate would.
/// </summary>
public sealed partial class When_a_licence_is_collected_at_the_hall_through_the_portal : IAsyncLifetime
{
    private const string Phone = "13800579876";

    private readonly string _data = TestData.NewFolder("delivery-pages");
    private WebApplication _app = null!;
    private string _portal = "";
    private string _sms = "";
    private Applications.ApplicationsClient _intake = null!;

    public async Task InitializeAsync()
    {
        var grpc = $"http://127.0.0.1:{FreePort.Next()}";
        _portal = $"http://127.0.0.1:{FreePort.Next()}";
        _sms = $"http://127.0.0.1:{FreePort.Next()}";
        _app = EmbeddedHost.Build([], new Dictionary<string, string?>
        {
            ["urls"] = _portal,
            ["Grpc:Url"] = grpc,
            ["DataDirectory"] = _data,
            ["FakeCourier:Url"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["FakeSms:Url"] = _sms,
            ["Demo:Seed"] = "false",
            ["Intake:Materials:Required"] = "false",
            // Courier deliveries fail twice, in quick steps: the officer's two choices, one after the other.
            ["FakeCourier:StepSeconds"] = "0.2",
            ["FakeCourier:Faults:FailDeliveries"] = "2",
            ["FakeCourier:Faults:FailureReason"] = "收件人不在",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        await _app.StartAsync();
        _intake = new Applications.ApplicationsClient(Channels.For(grpc));
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Should_show_the_code_to_the_shopkeeper_and_hand_over_on_it_in_the_officers_county_only()
    {
        var signedIn = await SignInShopkeeperAsync(Phone);
        using var shopkeeper = signedIn.Browser;
        var token = signedIn.AccessToken;
        var request = SampleApplications.Individual();
        request.Delivery.Method = DeliveryMethod.Pickup;
        request.Delivery.Address = "";
        var submitted = await _intake.SubmitAsync(request, new Metadata { { "Authorization", "Bearer " + token } });
        await IssueAsync(submitted);

        // The shopkeeper's own page: the code, where to collect it, and the tracking.
        var mine = await Eventually.GetAsync(
            async () =>
            {
                using var response = await shopkeeper.GetAsync($"/my/{submitted.ApplicationId}");
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.IsSuccessStatusCode, $"/my answered {(int)response.StatusCode}: {body[..Math.Min(body.Length, 3000)]}");
                return Text(body);
            },
            page => page.Contains("取件码："), TimeSpan.FromSeconds(30), "the pickup code on the shopkeeper's page");
        var code = PickupCode().Match(mine).Groups[1].Value;
        Assert.Matches("^[0-9]{6}$", code);
        Assert.Contains("待窗口领取", mine);

        // Nobody else sees it: the public progress page, and the clerk's pages.
        using var anyone = new HttpClient { BaseAddress = new Uri(_portal) };
        var lookup = await anyone.GetStringAsync($"/applications/{submitted.ApplicationNumber}");
        var (_, opened) = await PostAsync(anyone, "/applications",
            new() { ["number"] = submitted.ApplicationNumber, ["query_code"] = submitted.QueryCode }, lookup);
        var publicPage = Text(opened);
        Assert.Contains("待窗口领取", publicPage);
        Assert.DoesNotContain(code, publicPage);

        using var clerk = await SignInOfficerAsync("hy-clerk");
        var list = Text(await clerk.GetStringAsync("/officer/shipments?status=AwaitingPickup"));
        Assert.True(list.Contains(submitted.ApplicationNumber, StringComparison.Ordinal), list);
        Assert.Contains("送达期限", list);
        // The case page carries the shipment panel, with the way to the shipment.
        var queue = await Eventually.GetAsync(
            async () => await clerk.GetStringAsync("/officer"), page => page.Contains(submitted.ApplicationNumber, StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), "the case in the county's queue");
        var caseUrl = WebUtility.HtmlDecode(Regex.Match(queue, $"href=\"(/officer/case/[^\"]+)\">{Regex.Escape(submitted.ApplicationNumber)}<").Groups[1].Value);
        var casePage = await clerk.GetStringAsync(caseUrl);
        Assert.Contains("许可证送达", Text(casePage));
        Assert.Contains("待窗口领取", Text(casePage));
        Assert.Contains($"/officer/shipments/{submitted.ApplicationId}", casePage);
        Assert.DoesNotContain(code, Text(casePage));

        var detailUrl = $"/officer/shipments/{submitted.ApplicationId}";
        var detail = await clerk.GetStringAsync(detailUrl);
        Assert.Contains("确认交付", Text(detail));
        Assert.DoesNotContain(code, Text(detail));

        // Another county's clerk is refused, on the list and on the shipment.
        using var otherClerk = await SignInOfficerAsync("js-clerk");
        Assert.DoesNotContain(submitted.ApplicationNumber, Text(await otherClerk.GetStringAsync("/officer/shipments")));
        using var refused = await otherClerk.GetAsync(detailUrl);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("无权", Text(await refused.Content.ReadAsStringAsync()));

        // A wrong code: a clear message beside the field, and nothing changes.
        var wrong = code == "000000" ? "111111" : "000000";
        var (_, wrongPage) = await PostAsync(clerk, $"{detailUrl}?handler=HandOver", new() { ["pickupCode"] = wrong, ["collectedBy"] = "王建国" }, detail);
        Assert.Contains("取件码不正确", Text(wrongPage));
        Assert.Contains("待窗口领取", Text(wrongPage));
        Assert.Contains("王建国", wrongPage);

        // The right code: served, with the clerk as the officer who handed it over.
        var (_, servedPage) = await PostAsync(clerk, $"{detailUrl}?handler=HandOver", new() { ["pickupCode"] = code, ["collectedBy"] = "王建国" }, detail);
        Assert.Contains("已交付", Text(servedPage));
        Assert.Contains("已送达", Text(servedPage));
        Assert.Contains("窗口经办人", Text(servedPage));

        var after = Text(await shopkeeper.GetStringAsync($"/my/{submitted.ApplicationId}"));
        Assert.Contains("已送达", after);
        Assert.DoesNotContain("取件码：", after);
    }

    [Fact]
    public async Task Should_let_the_officer_redeliver_then_switch_to_pickup_after_failed_deliveries()
    {
        var signedIn = await SignInShopkeeperAsync("13800575555");
        using var shopkeeper = signedIn.Browser;
        var submitted = await _intake.SubmitAsync(SampleApplications.Individual(), new Metadata { { "Authorization", "Bearer " + signedIn.AccessToken } });
        await IssueAsync(submitted);
        using var clerk = await SignInOfficerAsync("hy-clerk");
        var detailUrl = $"/officer/shipments/{submitted.ApplicationId}";

        // First failure: the shopkeeper reads why; the clerk has the courier try again.
        var failed = await WaitForAsync(clerk, detailUrl, "投递未成功的处理");
        Assert.Contains("收件人不在", Text(failed));
        Assert.Contains("收件人不在", Text(await shopkeeper.GetStringAsync($"/my/{submitted.ApplicationId}")));
        var (_, redelivering) = await PostAsync(clerk, $"{detailUrl}?handler=Redeliver", [], failed);
        Assert.Contains("已安排快递第 2 次投递", Text(redelivering));

        // Second failure: back to the hall; the shopkeeper gets a code, the clerk hands over on it.
        var failedAgain = await WaitForAsync(clerk, detailUrl, "第 2 次投递）", "投递未成功的处理");
        var (_, switching) = await PostAsync(clerk, $"{detailUrl}?handler=SwitchToPickup", [], failedAgain);
        Assert.Contains("已通知快递退回服务大厅", Text(switching));
        var mine = await Eventually.GetAsync(
            async () => Text(await shopkeeper.GetStringAsync($"/my/{submitted.ApplicationId}")),
            page => page.Contains("取件码："), TimeSpan.FromSeconds(30), "the pickup code after the return");
        var code = PickupCode().Match(mine).Groups[1].Value;
        var waiting = await WaitForAsync(clerk, detailUrl, "确认交付");
        var (_, served) = await PostAsync(clerk, $"{detailUrl}?handler=HandOver", new() { ["pickupCode"] = code, ["collectedBy"] = "王建国" }, waiting);

        Assert.Contains("已送达", Text(served));
        var tracking = Text(served);
        Assert.True(
            tracking.IndexOf("已退回寄件人", StringComparison.Ordinal) > tracking.IndexOf("已当面领取", StringComparison.Ordinal),
            "the hand-over is not the newest step: " + tracking);
    }

    /// <summary>Reloads an officer page until it shows all of <paramref name="texts"/> (bounded).</summary>
    private static Task<string> WaitForAsync(HttpClient browser, string url, params string[] texts) =>
        Eventually.GetAsync(
            async () => await browser.GetStringAsync(url),
            page => texts.All(t => Text(page).Contains(t, StringComparison.Ordinal)),
            TimeSpan.FromSeconds(45), $"{url} to show {string.Join(", ", texts)}");

    private async Task IssueAsync(SubmitApplicationResponse submitted)
    {
        // Delivery must have the delivery choice first (it retries otherwise, which only slows the test).
        var database = _app.Services.GetRequiredService<Permits.Shared.Data.ServiceDatabase<DeliveryModule>>();
        await Eventually.TrueAsync(
            async () =>
            {
                await using var connection = await database.OpenAsync(CancellationToken.None);
                return await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection,
                    "SELECT COUNT(*) FROM delivery_requests WHERE application_id = @Id", new { Id = Guid.Parse(submitted.ApplicationId) }) == 1;
            },
            TimeSpan.FromSeconds(30), "Delivery to keep the delivery choice");
        await _app.Services.GetRequiredService<IBus>().Publish(new CertificateIssued(
            Guid.NewGuid(), Guid.Parse(submitted.ApplicationId), submitted.ApplicationNumber, "330424", "330424100077", "王建国",
            DateOnly.FromDateTime(DateTime.UtcNow), DateOnly.FromDateTime(DateTime.UtcNow.AddYears(3)), DateTimeOffset.UtcNow));
    }

    /// <summary>A browser session of a demo officer, signed in through the Portal and Identity's officer page.</summary>
    private async Task<HttpClient> SignInOfficerAsync(string username)
    {
        var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(_portal) };
        using var signInPage = await browser.GetAsync("/signin?kind=officer&returnUrl=%2Fofficer%2Fshipments");
        var html = await signInPage.Content.ReadAsStringAsync();
        Assert.True(signInPage.IsSuccessStatusCode, $"the sign-in page answered {(int)signInPage.StatusCode}");
        using var signedIn = await browser.PostAsync(new Uri(signInPage.RequestMessage!.RequestUri!, "/account/officer"), new FormUrlEncodedContent(
            new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = WebUtility.HtmlDecode(AnyToken().Match(html).Groups[1].Value),
                ["returnUrl"] = WebUtility.HtmlDecode(ReturnUrl().Match(html).Groups[1].Value),
                ["username"] = username,
                ["password"] = OfficerSignIn.Password,
            }));
        Assert.True(signedIn.IsSuccessStatusCode, $"signing in {username} answered {(int)signedIn.StatusCode}");
        Assert.Equal("/officer/shipments", signedIn.RequestMessage!.RequestUri!.AbsolutePath);
        return browser;
    }

    /// <summary>
    /// A shopkeeper's browser session, signed in through the Portal with the SMS code the fake gateway received; and
    /// their access token, from a second authorization (Identity's session answers it without asking again) with the
    /// Portal's own client, to submit over gRPC as the shopkeeper.
    /// </summary>
    private async Task<(HttpClient Browser, string AccessToken)> SignInShopkeeperAsync(string phone)
    {
        var cookies = new CookieContainer();
        var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = new Uri(_portal) };
        using var smsPage = await browser.GetAsync("/signin?kind=applicant&returnUrl=%2Fmy");
        var page = await smsPage.Content.ReadAsStringAsync();
        Assert.Contains("/account/sms", smsPage.RequestMessage!.RequestUri!.AbsolutePath);
        var smsUrl = smsPage.RequestMessage.RequestUri;
        var sent = await PostFormAsync(browser, smsUrl, page, ("action", "send"), ("phone", phone));
        using var sms = new HttpClient();
        var code = await SmsCodes.ReadAsync(sms, _sms, phone);
        using var verified = await PostResponseAsync(browser, smsUrl, sent, ("action", "verify"), ("phone", phone), ("code", code));
        Assert.Equal("/my", verified.RequestMessage!.RequestUri!.AbsolutePath);

        // The token: authorize again with the Portal's client and PKCE, stop at the callback, exchange the code.
        using var noRedirects = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(_portal) };
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var redirectUri = _portal + "/signin-oidc";
        using var authorized = await noRedirects.GetAsync("/connect/authorize?" + string.Join('&', new Dictionary<string, string>
        {
            ["client_id"] = "portal",
            ["redirect_uri"] = redirectUri,
            ["response_type"] = "code",
            ["scope"] = "openid permits",
            ["state"] = "delivery-tests",
            ["code_challenge"] = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))),
            ["code_challenge_method"] = "S256",
        }.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}")));
        Assert.Equal(HttpStatusCode.Redirect, authorized.StatusCode);
        var authorizationCode = System.Web.HttpUtility.ParseQueryString(authorized.Headers.Location!.Query)["code"]!;
        using var tokenResponse = await noRedirects.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = "portal",
            ["client_secret"] = "portal-demo-secret",
            ["code"] = authorizationCode,
            ["redirect_uri"] = redirectUri,
            ["code_verifier"] = verifier,
        }));
        var body = await tokenResponse.Content.ReadAsStringAsync();
        Assert.True(tokenResponse.IsSuccessStatusCode, $"Identity refused the code exchange: {body}");
        using var json = JsonDocument.Parse(body);
        return (browser, json.RootElement.GetProperty("access_token").GetString()!);
    }

    private static async Task<string> PostFormAsync(HttpClient browser, Uri url, string fromPage, params (string Key, string Value)[] fields)
    {
        using var response = await PostResponseAsync(browser, url, fromPage, fields);
        Assert.True(response.IsSuccessStatusCode, $"{url} answered {(int)response.StatusCode}");
        return await response.Content.ReadAsStringAsync();
    }

    private static Task<HttpResponseMessage> PostResponseAsync(HttpClient browser, Uri url, string fromPage, params (string Key, string Value)[] fields) =>
        browser.PostAsync(url, new FormUrlEncodedContent(fields
            .Append(("returnUrl", WebUtility.HtmlDecode(ReturnUrl().Match(fromPage).Groups[1].Value)))
            .Append(("__RequestVerificationToken", WebUtility.HtmlDecode(AnyToken().Match(fromPage).Groups[1].Value)))
            .Select(p => KeyValuePair.Create(p.Item1, p.Item2))));

    /// <summary>Posts a Portal form with the antiforgery token of the page it is on, following any redirect.</summary>
    private static Task<(string Url, string Page)> PostAsync(HttpClient browser, string url, Dictionary<string, string> fields, string fromPage) =>
        PortalForms.PostAsync(browser, url, fields, fromPage);

    private static string Text(string page) => PortalForms.Text(page);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AnyToken();

    [GeneratedRegex("name=\"returnUrl\" value=\"([^\"]*)\"")]
    private static partial Regex ReturnUrl();


    [GeneratedRegex(@"取件码： ?(\d{6})")]
    private static partial Regex PickupCode();
}
