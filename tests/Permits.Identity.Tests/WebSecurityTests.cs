using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Permits.LocalInfra;
using Permits.Portal;
using Permits.Portal.Security;
using Permits.Shared.Hosting;
using Permits.Shared.Security;

namespace Permits.Identity.Tests;

/// <summary>Identity with a Portal beside it (its client "portal"), both over real HTTP, for the web-security tests.</summary>
public abstract partial class IdentityAndPortal : IAsyncLifetime
{
    protected readonly string PortalUrl = $"http://127.0.0.1:{FreePort.Next()}";
    protected IdentityHost Identity = null!;
    private WebApplication _portal = null!;

    /// <summary>The Portal's clock; <see cref="Shift"/> moves it and Identity's forward together.</summary>
    protected ShiftedTime PortalTime { get; } = new();

    public async Task InitializeAsync()
    {
        Identity = await IdentityHost.StartAsync(portalUrl: PortalUrl);
        var builder = WebApplication.CreateBuilder();
        var config = new Dictionary<string, string?>
        {
            ["urls"] = PortalUrl,
            ["Identity:Authority"] = Identity.Url,
            ["Portal:ClientId"] = "portal",
            ["Portal:ClientSecret"] = IdentityHost.PortalSecret,
        };
        foreach (var service in new[] { "Intake", "Review", "Certificate", "Delivery", "Disclosure" })
        {
            config[$"Services:{service}:Url"] = "http://127.0.0.1:9"; // never called by the pages these tests open
        }

        builder.Configuration.AddInMemoryCollection(config);
        builder.AddServiceDefaults();
        builder.AddPortal();
        builder.Services.AddSingleton<TimeProvider>(PortalTime);
        _portal = builder.Build();
        _portal.MapServiceDefaults();
        _portal.MapPortal();
        await _portal.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _portal.StopAsync();
        await _portal.DisposeAsync();
        await Identity.DisposeAsync();
    }

    /// <summary>Identity's officer page for <paramref name="returnUrl"/>, then its form posted with the right password.</summary>
    protected async Task<HttpResponseMessage> OfficerSignInAsync(Browser browser, string returnUrl, string password = "Permits@2026")
    {
        using var page = await browser.GetAsync(Identity.Url + "account/officer?returnUrl=" + Uri.EscapeDataString(returnUrl));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        return await browser.PostFormAsync(Identity.Url + "account/officer",
            ("__RequestVerificationToken", Antiforgery(html)), ("returnUrl", returnUrl), ("username", "hy-clerk"), ("password", password));
    }

    /// <summary>Time passes for the Portal and Identity alike (no waiting).</summary>
    protected void Shift(TimeSpan by)
    {
        PortalTime.Offset += by;
        Identity.Time.Offset += by;
    }

    /// <summary>The Portal's session cookie as the browser holds it, opened with the Portal's keys (null: none).</summary>
    protected AuthenticationTicket? PortalTicket(Browser browser)
    {
        var options = _portal.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(PortalSignIn.CookieScheme);
        var request = new DefaultHttpContext();
        request.Request.Headers.Cookie = browser.Cookies.GetCookieHeader(new Uri(PortalUrl));
        var cookie = options.CookieManager.GetRequestCookie(request, options.Cookie.Name!);
        return cookie is null ? null : options.TicketDataFormat.Unprotect(cookie);
    }

    protected static string Antiforgery(string page) =>
        WebUtility.HtmlDecode(AntiforgeryField().Match(page).Groups[1].Value);

    protected static string ReturnUrlOf(string page) =>
        WebUtility.HtmlDecode(ReturnUrlField().Match(page).Groups[1].Value);

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*?value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("name=\"returnUrl\" value=\"([^\"]*)\"")]
    private static partial Regex ReturnUrlField();
}

public sealed class When_a_return_url_points_off_site : IdentityAndPortal
{
    /// <summary>What browsers read as another site once they drop TAB/LF/CR or read \ as /, raw and encoded.</summary>
    public static readonly string[] Payloads =
    [
        "/\t/evil.example", "/\n/evil.example", "/\r/evil.example", "/\v/evil.example", "/\\evil.example", "/\\/evil.example",
        "//evil.example", "///evil.example", "/%09/evil.example", "/%0A/evil.example", "/%5Cevil.example", "/%2F/evil.example",
        "/ /evil.example", "\t//evil.example", "https://evil.example/", "/\u3000/evil.example", "/\r\nSet-Cookie:x=1",
    ];

    [Fact]
    public void Should_be_refused_by_the_one_local_url_check()
    {
        Assert.All(Payloads, payload => Assert.False(LocalUrl.IsLocal(payload), payload));
        Assert.All(Payloads, payload => Assert.Equal("/", LocalUrl.OrHome(payload)));
        Assert.True(LocalUrl.IsLocal("/my/applications?tab=all"));
        Assert.True(LocalUrl.IsLocal("/connect/authorize?redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb&scope=openid%20permits"));
    }

    [Fact]
    public async Task Should_send_the_officer_home_after_identitys_sign_in_and_never_fail()
    {
        foreach (var payload in Payloads)
        {
            using var browser = new Browser(Identity);
            using var signedIn = await OfficerSignInAsync(browser, payload);
            Assert.True(signedIn.StatusCode == HttpStatusCode.Redirect, $"{Escape(payload)} answered {(int)signedIn.StatusCode}");
            Assert.Equal("/", signedIn.Headers.Location!.OriginalString);
        }
    }

    [Fact]
    public async Task Should_send_the_person_home_after_the_portals_sign_in_and_never_fail()
    {
        foreach (var payload in Payloads)
        {
            using var browser = new Browser(Identity);
            var (at, status, page) = await browser.FollowAsync(PortalUrl + "/signin?kind=officer&returnUrl=" + Uri.EscapeDataString(payload));
            Assert.True(status == HttpStatusCode.OK && at.AbsolutePath == "/account/officer", $"{Escape(payload)}: {at} answered {(int)status}");

            using var posted = await browser.PostFormAsync(Identity.Url + "account/officer", ("__RequestVerificationToken", Antiforgery(page)),
                ("returnUrl", ReturnUrlOf(page)), ("username", "hy-clerk"), ("password", "Permits@2026"));
            Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
            var next = new Uri(new Uri(Identity.Url), posted.Headers.Location!);
            for (var hop = 0; hop < 4; hop++)
            {
                using var response = await browser.GetAsync(next.ToString());
                Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{Escape(payload)}: {next} answered {(int)response.StatusCode}");
                if (next.AbsolutePath == "/signin-oidc")
                {
                    // The Portal's last word: its own home page, relative or absolute, never elsewhere.
                    var landing = new Uri(next, response.Headers.Location!);
                    Assert.Equal(PortalUrl + "/", landing.ToString());
                    break;
                }

                next = new Uri(next, response.Headers.Location!);
                Assert.True(hop < 3, "never reached the Portal's callback");
            }
        }
    }

    private static string Escape(string payload) => JsonSerializer.Serialize(payload);
}

public sealed class When_someone_tampers_with_the_sign_in : IdentityAndPortal
{
    [Fact]
    public async Task Should_answer_a_forged_callback_state_with_a_400_page_and_a_way_back()
    {
        using var http = new HttpClient();
        foreach (var query in new[] { "?state=garbage&code=x", "?state=garbage", "", "?error=access_denied&state=x" })
        {
            using var response = await http.GetAsync(PortalUrl + "/signin-oidc" + query);
            var page = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{query} answered {(int)response.StatusCode}");
            Assert.Contains("登录未完成", page);
            Assert.Contains("href=\"/\"", page);
        }
    }

    [Fact]
    public async Task Should_refuse_pkce_plain()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var url = Identity.Url + "connect/authorize?client_id=" + IdentityHost.ClientId + "&redirect_uri=" + Uri.EscapeDataString(IdentityHost.RedirectUri)
                  + "&response_type=code&scope=openid&state=s&code_challenge=" + new string('a', 43) + "&code_challenge_method=plain";

        using var response = await http.GetAsync(url);

        // Refused (as an error to the client, or a 400): never on to the sign-in page for a code.
        var location = response.Headers.Location?.ToString() ?? "";
        Assert.DoesNotContain("/account/", location);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest || location.Contains("error=invalid_request"), $"{(int)response.StatusCode} {location}");
    }

    [Fact]
    public async Task Should_not_sign_out_on_a_get_of_endsession_but_on_the_confirmed_form()
    {
        using var browser = new Browser(Identity);
        await browser.OpenSignInAsync();
        await browser.SendCodeAsync("13500006666");
        Assert.Equal(HttpStatusCode.Redirect, (await browser.EnterCodeAsync("13500006666", (await Identity.LatestCodeAsync("13500006666"))!)).Status);

        // As a link on another site would: a page that asks, and the session goes on.
        var (_, status, confirm) = await browser.FollowAsync(Identity.Url + "connect/endsession");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("确定要退出", confirm);
        await browser.FinishAsync();

        // Confirmed on Identity's own form: signed out.
        using var confirmed = await browser.PostFormAsync(Identity.Url + "connect/endsession", ("__RequestVerificationToken", Antiforgery(confirm)));
        Assert.True((int)confirmed.StatusCode < 400, $"the confirmed sign-out answered {(int)confirmed.StatusCode}");
        var (at, _, _) = await browser.FollowAsync(browser.AuthorizeUrl);
        Assert.Equal("/account/sms", at.AbsolutePath);
    }

    [Fact]
    public async Task Should_make_a_copied_portal_cookie_worthless_after_sign_out()
    {
        const string phone = "13500005555";
        using var browser = new Browser(Identity);
        await browser.OpenSignInAsync(PortalUrl + "/signin?kind=applicant&returnUrl=%2F");
        Assert.Equal(HttpStatusCode.OK, (await browser.SendCodeAsync(phone)).Status);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.EnterCodeAsync(phone, (await Identity.LatestCodeAsync(phone))!)).Status);
        var (_, _, home) = await browser.FollowAsync(browser.PendingReturnUrl);
        Assert.Contains("手机尾号 5555 的用户", home);

        // The thief's copy works while the session is open...
        var stolen = browser.Cookies.GetCookieHeader(new Uri(PortalUrl));
        Assert.Contains("手机尾号 5555 的用户", await ReplayAsync(stolen));

        using var signOut = await browser.PostFormAsync(PortalUrl + "/signout", ("__RequestVerificationToken", Antiforgery(home)));
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);

        // ...and not after: the Portal and Identity both treat it as signed out.
        var replayed = await ReplayAsync(stolen);
        Assert.DoesNotContain("手机尾号 5555 的用户", replayed);
        Assert.Contains(">登录</a>", replayed);
        var (at, _, _) = await browser.FollowAsync(PortalUrl + "/signin?kind=applicant&returnUrl=%2F");
        Assert.Equal("/account/sms", at.AbsolutePath);
    }

    [Fact]
    public async Task Should_carry_the_security_headers_on_pages_json_and_404s()
    {
        using var http = new HttpClient();
        foreach (var url in new[]
                 {
                     Identity.Url + "account/sms", Identity.Url + ".well-known/openid-configuration", Identity.Url + "no-such-page",
                     PortalUrl + "/", PortalUrl + "/no-such-page", PortalUrl + "/health/live",
                 })
        {
            using var response = await http.GetAsync(url);
            Assert.True(response.Headers.Contains("X-Content-Type-Options") && response.Headers.Contains("Content-Security-Policy"), url);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            var policy = response.Headers.GetValues("Content-Security-Policy").Single();
            Assert.Contains("frame-ancestors 'none'", policy);
            Assert.DoesNotContain("unsafe", policy);
            Assert.True(response.Headers.Contains("Referrer-Policy"), url);
            Assert.False(response.Headers.Contains("Strict-Transport-Security"), "HSTS over plain HTTP: " + url);
            if (url.EndsWith("no-such-page", StringComparison.Ordinal))
            {
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            }
        }
    }

    private async Task<string> ReplayAsync(string cookies)
    {
        using var thief = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, PortalUrl + "/");
        request.Headers.Add("Cookie", cookies);
        using var response = await thief.SendAsync(request);
        return await response.Content.ReadAsStringAsync();
    }
}

public sealed class When_someone_guesses_an_officer_password : IAsyncLifetime
{
    private IdentityHost _host = null!;

    public async Task InitializeAsync() => _host = await IdentityHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Should_lock_the_account_after_five_failures_even_for_the_right_password_and_record_each_attempt()
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var (wrong, _) = await PasswordGrantAsync("hy-head", "guess-" + attempt);
            Assert.Equal(HttpStatusCode.BadRequest, wrong);
        }

        var (status, locked) = await PasswordGrantAsync("hy-head", "Permits@2026");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("锁定", locked);

        // An account that does not exist answers the same, so the lock tells nobody which accounts exist.
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await PasswordGrantAsync("no-such-officer", "guess-" + attempt);
        }

        Assert.Equal(locked, (await PasswordGrantAsync("no-such-officer", "Permits@2026")).Description);

        // Others are not locked out with it.
        Assert.Equal(HttpStatusCode.OK, (await PasswordGrantAsync("hy-clerk", "Permits@2026")).Status);

        await using var database = new NpgsqlConnection(_host.ConnectionString);
        var attempts = (await database.QueryAsync<(string Outcome, string ClientAddress)>(
            "SELECT outcome, client_address FROM identity_sign_in_attempts WHERE username = 'hy-head' ORDER BY attempted_at")).ToList();
        Assert.Equal([.. Enumerable.Repeat("failed", 5), "locked"], attempts.Select(a => a.Outcome));
        Assert.All(attempts, a => Assert.Equal("127.0.0.1", a.ClientAddress));
    }

    private async Task<(HttpStatusCode Status, string Description)> PasswordGrantAsync(string username, string password)
    {
        using var response = await _host.TokenAsync(("grant_type", "password"), ("client_id", IdentityHost.ClientId),
            ("client_secret", IdentityHost.ClientSecret), ("username", username), ("password", password), ("scope", "openid permits"));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode,
            body.RootElement.TryGetProperty("error_description", out var description) ? description.GetString()! : "");
    }
}

public sealed class When_one_client_asks_codes_for_many_numbers : IAsyncLifetime
{
    private IdentityHost _host = null!;

    public async Task InitializeAsync() => _host = await IdentityHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Should_send_codes_to_ten_numbers_an_hour_and_refuse_the_rest()
    {
        using var browser = new Browser(_host);
        await browser.OpenSignInAsync();
        var results = new List<(HttpStatusCode Status, string Page)>();
        for (var i = 0; i < 25; i++)
        {
            results.Add(await browser.SendCodeAsync($"1370001{i:D4}"));
        }

        Assert.Equal(10, results.Count(r => r.Status == HttpStatusCode.OK));
        Assert.All(results.Skip(10), r => Assert.Contains("手机号过多", r.Page));
        Assert.Null(await _host.LatestCodeAsync("13700010024"));
    }
}

/// <summary>
/// The numbers' sends no longer wait for each other: those from one client address still take turns, so a burst of
/// requests for many numbers at once gets exactly the address's ten.
/// </summary>
public sealed class When_one_client_asks_codes_for_many_numbers_at_once : IAsyncLifetime
{
    private IdentityHost _host = null!;

    public async Task InitializeAsync() => _host = await IdentityHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Should_send_codes_to_ten_numbers_and_refuse_the_rest()
    {
        var results = await Burst.SendAsync(_host, Enumerable.Range(0, 25).Select(i => $"1370003{i:D4}").ToList());

        Assert.Equal(10, results.Count(r => r.Status == HttpStatusCode.OK));
        Assert.All(results.Where(r => r.Status != HttpStatusCode.OK), r => Assert.Contains("手机号过多", r.Page));
        Assert.Equal(10, await _host.ScalarAsync<long>("SELECT COUNT(*) FROM identity_sms_codes WHERE phone_number LIKE '1370003%'"));
    }
}

/// <summary>Sends for different numbers and addresses still take turns at the overall limit: a burst gets exactly it.</summary>
public sealed class When_codes_for_many_numbers_are_asked_for_at_once_beyond_the_hourly_total : IAsyncLifetime
{
    private IdentityHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await IdentityHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Identity:Limits:SmsCodesPerHour"] = "3",
            ["Identity:Limits:SmsNumbersPerClientPerHour"] = "100",
        });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Should_send_exactly_the_total()
    {
        var results = await Burst.SendAsync(_host, Enumerable.Range(0, 12).Select(i => $"1370004{i:D4}").ToList());

        Assert.Equal(3, results.Count(r => r.Status == HttpStatusCode.OK));
        Assert.All(results.Where(r => r.Status != HttpStatusCode.OK), r => Assert.Contains("人数过多", r.Page));
        Assert.Equal(3, await _host.ScalarAsync<long>("SELECT COUNT(*) FROM identity_sms_codes"));
    }
}

/// <summary>
/// Wrong passwords for many accounts sent at the same moment from one address: the address's failures are counted one
/// after the other, so exactly the limit is tried and the rest are refused unchecked.
/// </summary>
public sealed class When_one_client_guesses_passwords_of_many_officers_at_once : IAsyncLifetime
{
    private IdentityHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await IdentityHost.StartAsync(settings: new Dictionary<string, string?> { ["Identity:Limits:ClientMaxFailures"] = "3" });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Should_check_exactly_the_limit_and_throttle_the_rest()
    {
        var usernames = Enumerable.Range(0, 12).Select(i => $"guess-{i}").Concat(["hy-clerk", "hy-head", "js-clerk"]).ToList();
        var answers = await Task.WhenAll(usernames.Select(async username =>
        {
            using var wrong = await _host.TokenAsync(("grant_type", "password"), ("client_id", IdentityHost.ClientId),
                ("client_secret", IdentityHost.ClientSecret), ("username", username), ("password", "guess"), ("scope", "permits"));
            return wrong.StatusCode;
        }));

        Assert.All(answers, status => Assert.Equal(HttpStatusCode.BadRequest, status));
        Assert.Equal(3, await _host.ScalarAsync<long>("SELECT COUNT(*) FROM identity_sign_in_attempts WHERE outcome = 'failed'"));
        Assert.Equal(usernames.Count - 3, await _host.ScalarAsync<long>("SELECT COUNT(*) FROM identity_sign_in_attempts WHERE outcome = 'throttled'"));
        Assert.Equal(0, await _host.ScalarAsync<long>("SELECT COUNT(*) FROM identity_limit_locks WHERE lock_key LIKE 'officer:%'"));
    }
}

/// <summary>One browser per number, all asking for their codes at the same moment.</summary>
internal static class Burst
{
    public static async Task<(HttpStatusCode Status, string Page)[]> SendAsync(IdentityHost host, IReadOnlyList<string> phones)
    {
        var browsers = phones.Select(_ => new Browser(host)).ToList();
        try
        {
            foreach (var browser in browsers)
            {
                await browser.OpenSignInAsync();
            }

            return await Task.WhenAll(browsers.Zip(phones, (browser, phone) => browser.SendCodeAsync(phone)));
        }
        finally
        {
            browsers.ForEach(b => b.Dispose());
        }
    }
}

public sealed class When_codes_are_asked_for_beyond_the_hourly_total : IAsyncLifetime
{
    private IdentityHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await IdentityHost.StartAsync(settings: new Dictionary<string, string?> { ["Identity:Limits:SmsCodesPerHour"] = "3" });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Should_refuse_every_client_past_the_total()
    {
        using var browser = new Browser(_host);
        await browser.OpenSignInAsync();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await browser.SendCodeAsync($"1370002{i:D4}")).Status);
        }

        var (status, page) = await browser.SendCodeAsync("13700029999");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("人数过多", page);
    }
}

public sealed class When_one_client_guesses_passwords_of_many_officers : IAsyncLifetime
{
    private IdentityHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await IdentityHost.StartAsync(settings: new Dictionary<string, string?> { ["Identity:Limits:ClientMaxFailures"] = "3" });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Should_make_that_client_wait_whichever_account_it_tries_next()
    {
        foreach (var username in new[] { "hy-clerk", "hy-head", "js-clerk" })
        {
            using var wrong = await _host.TokenAsync(("grant_type", "password"), ("client_id", IdentityHost.ClientId),
                ("client_secret", IdentityHost.ClientSecret), ("username", username), ("password", "guess"), ("scope", "permits"));
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        }

        using var right = await _host.TokenAsync(("grant_type", "password"), ("client_id", IdentityHost.ClientId),
            ("client_secret", IdentityHost.ClientSecret), ("username", "js-head"), ("password", "Permits@2026"), ("scope", "permits"));
        Assert.Equal(HttpStatusCode.BadRequest, right.StatusCode);
        using var body = JsonDocument.Parse(await right.Content.ReadAsStringAsync());
        Assert.Contains("本网络地址登录失败次数过多", body.RootElement.GetProperty("error_description").GetString());
    }
}
