using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Permits.Identity.Server;

namespace Permits.Identity.Tests;

/// <summary>A browser without JavaScript: follows the pages and forms by hand, keeping cookies.</summary>
public sealed partial class Browser(IdentityHost host) : IDisposable
{
    private HttpClient? _client;
    private string _antiforgery = "";

    /// <summary>The browser's cookies (a test copies them, as a thief would).</summary>
    public CookieContainer Cookies { get; } = new();

    private HttpClient Http => _client ??= new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = Cookies })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };
    private string _returnUrl = "";

    public string Verifier { get; } = Base64Url(RandomNumberGenerator.GetBytes(32));

    public string AuthorizeUrl => host.Url + "connect/authorize?" + string.Join('&', new Dictionary<string, string>
    {
        ["client_id"] = IdentityHost.ClientId,
        ["redirect_uri"] = IdentityHost.RedirectUri,
        ["response_type"] = "code",
        ["scope"] = "openid permits",
        ["state"] = "state-1",
        ["code_challenge"] = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(Verifier))),
        ["code_challenge_method"] = "S256",
    }.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));

    /// <summary>Starts at the authorize endpoint (or a page that leads there) and lands on the SMS sign-in page.</summary>
    public async Task OpenSignInAsync(string? start = null)
    {
        var (url, status, page) = await FollowAsync(start ?? AuthorizeUrl);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("/account/sms", url.AbsolutePath);
        Remember(page);
    }

    /// <summary>Follows redirects (at most eight) across Identity and the Portal, as a browser would.</summary>
    public async Task<(Uri Url, HttpStatusCode Status, string Body)> FollowAsync(string start)
    {
        var url = new Uri(start.StartsWith('/') ? host.Url.TrimEnd('/') + start : start);
        for (var hop = 0; hop < 8; hop++)
        {
            using var response = await Http.GetAsync(url);
            if (response.StatusCode != HttpStatusCode.Redirect)
            {
                return (url, response.StatusCode, await response.Content.ReadAsStringAsync());
            }

            url = new Uri(url, response.Headers.Location!);
        }

        throw new InvalidOperationException("Too many redirects.");
    }

    public string PendingReturnUrl => _returnUrl;

    public async Task<(HttpStatusCode Status, string Page)> SendCodeAsync(string phone) =>
        await PostAsync(("action", "send"), ("phone", phone));

    public async Task<(HttpStatusCode Status, string Page)> EnterCodeAsync(string phone, string code) =>
        await PostAsync(("action", "verify"), ("phone", phone), ("code", code));

    /// <summary>After a successful sign-in: back to authorize, then the code to the client's redirect URI, then tokens.</summary>
    public async Task<JsonElement> FinishAsync(HttpResponseMessage? signedIn = null)
    {
        using var authorize = await Http.GetAsync(host.Url.TrimEnd('/') + _returnUrl);
        Assert.Equal(HttpStatusCode.Redirect, authorize.StatusCode);
        var callback = authorize.Headers.Location!;
        Assert.StartsWith(IdentityHost.RedirectUri, callback.ToString());
        var query = System.Web.HttpUtility.ParseQueryString(callback.Query);
        Assert.Equal("state-1", query["state"]);
        using var token = await host.TokenAsync(("grant_type", "authorization_code"), ("client_id", IdentityHost.ClientId),
            ("client_secret", IdentityHost.ClientSecret), ("code", query["code"]!), ("redirect_uri", IdentityHost.RedirectUri),
            ("code_verifier", Verifier));
        var body = await token.Content.ReadAsStringAsync();
        Assert.True(token.IsSuccessStatusCode, body);

        // A code is good once: an intercepted copy redeemed again gets nothing.
        using var replay = await host.TokenAsync(("grant_type", "authorization_code"), ("client_id", IdentityHost.ClientId),
            ("client_secret", IdentityHost.ClientSecret), ("code", query["code"]!), ("redirect_uri", IdentityHost.RedirectUri),
            ("code_verifier", Verifier));
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Contains("invalid_grant", await replay.Content.ReadAsStringAsync());
        return JsonDocument.Parse(body).RootElement;
    }

    private async Task<(HttpStatusCode, string)> PostAsync(params (string Key, string Value)[] fields)
    {
        var form = fields.Append(("returnUrl", _returnUrl)).Append(("__RequestVerificationToken", _antiforgery))
            .Select(p => KeyValuePair.Create(p.Item1, p.Item2));
        using var response = await Http.PostAsync(host.Url + "account/sms", new FormUrlEncodedContent(form));
        var page = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            Remember(page);
        }

        return (response.StatusCode, page);
    }

    private void Remember(string page)
    {
        _antiforgery = WebUtility.HtmlDecode(Field().Match(page).Groups[1].Value);
        _returnUrl = WebUtility.HtmlDecode(ReturnUrlField().Match(page).Groups[1].Value);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Posts a form as the browser (its cookies), without following the answer.</summary>
    public Task<HttpResponseMessage> PostFormAsync(string url, params (string Key, string Value)[] fields) =>
        Http.PostAsync(url, new FormUrlEncodedContent(fields.Select(p => KeyValuePair.Create(p.Key, p.Value))));

    public Task<HttpResponseMessage> GetAsync(string url) => Http.GetAsync(url);

    /// <summary>The antiforgery token of the first form on a page.</summary>
    public static string AntiforgeryOf(string page) => WebUtility.HtmlDecode(Field().Match(page).Groups[1].Value);

    public void Dispose() => _client?.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Field();

    [GeneratedRegex("name=\"returnUrl\" value=\"([^\"]*)\"")]
    private static partial Regex ReturnUrlField();
}

public sealed class When_a_shopkeeper_signs_in_with_an_sms_code : IAsyncLifetime
{
    private IdentityHost _host = null!;

    public async Task InitializeAsync() => _host = await IdentityHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Should_refuse_a_wrong_code_then_issue_tokens_with_a_stable_subject_for_the_right_one()
    {
        const string phone = "13800571234";
        using var browser = new Browser(_host);
        await browser.OpenSignInAsync();
        var (sent, sentPage) = await browser.SendCodeAsync(phone);
        Assert.Equal(HttpStatusCode.OK, sent);
        Assert.Contains("验证码已发送", sentPage);
        var code = await _host.LatestCodeAsync(phone);
        Assert.Matches(@"^\d{6}$", code);

        var wrong = code == "000000" ? "111111" : "000000";
        var (refused, refusedPage) = await browser.EnterCodeAsync(phone, wrong);
        Assert.Equal(HttpStatusCode.BadRequest, refused);
        Assert.Contains("验证码不正确，还可以再试 4 次", refusedPage);

        var (accepted, _) = await browser.EnterCodeAsync(phone, code!);
        Assert.Equal(HttpStatusCode.Redirect, accepted);
        var tokens = await browser.FinishAsync();
        var access = IdentityHost.Payload(tokens.GetProperty("access_token").GetString()!);
        Assert.Equal(["applicant"], IdentityHost.Values(access, "role"));
        Assert.Equal(phone, access.GetProperty("phone_number").GetString());
        Assert.Contains("permits-intake", IdentityHost.Values(access, "aud"));
        var identity = IdentityHost.Payload(tokens.GetProperty("id_token").GetString()!);
        Assert.Equal(access.GetProperty("sub").GetString(), identity.GetProperty("sub").GetString());

        // The same number signs in again later (a new code, a minute on): the same subject.
        _host.Time.Offset = TimeSpan.FromMinutes(2);
        using var again = new Browser(_host);
        await again.OpenSignInAsync();
        Assert.Equal(HttpStatusCode.OK, (await again.SendCodeAsync(phone)).Status);
        Assert.Equal(HttpStatusCode.Redirect, (await again.EnterCodeAsync(phone, (await _host.LatestCodeAsync(phone))!)).Status);
        _host.Time.Offset = TimeSpan.Zero;
        var second = IdentityHost.Payload((await again.FinishAsync()).GetProperty("access_token").GetString()!);
        Assert.Equal(access.GetProperty("sub").GetString(), second.GetProperty("sub").GetString());

        // The access token validates as a service would validate it (discovery from Identity).
        var (principal, error) = await _host.Validator("permits-intake").ValidateAsync(tokens.GetProperty("access_token").GetString()!, default);
        Assert.True(principal is not null, error);
    }

    /// <summary>
    /// The code is read only by Identity, so it is signed with the HMAC key Identity keeps to itself (one RSA signature
    /// fewer a sign-in); the access and identity tokens, which others check, are signed with the published RSA key.
    /// </summary>
    [Fact]
    public async Task Should_sign_the_code_with_identitys_internal_key_and_the_tokens_with_its_published_key()
    {
        const string phone = "13800575678";
        using var browser = new Browser(_host);
        await browser.OpenSignInAsync();
        Assert.Equal(HttpStatusCode.OK, (await browser.SendCodeAsync(phone)).Status);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.EnterCodeAsync(phone, (await _host.LatestCodeAsync(phone))!)).Status);
        using (var authorize = await browser.GetAsync(_host.Url.TrimEnd('/') + browser.PendingReturnUrl))
        {
            var code = System.Web.HttpUtility.ParseQueryString(authorize.Headers.Location!.Query)["code"]!;
            var encryption = new SymmetricSecurityKey(Convert.FromBase64String(
                (await File.ReadAllTextAsync(Path.Combine(_host.DataDirectory, "identity-keys", "encryption.key"))).Trim()));
            var read = await new JsonWebTokenHandler().ValidateTokenAsync(code, new TokenValidationParameters
            {
                TokenDecryptionKey = encryption,
                IssuerSigningKey = InternalTokenSigning.From(encryption).Key,
                ValidateAudience = false,
                ValidateIssuer = false,
                ValidateLifetime = false,
            });
            Assert.True(read.IsValid, read.Exception?.Message);
            Assert.Equal(SecurityAlgorithms.HmacSha256, ((JsonWebToken)read.SecurityToken).InnerToken.Alg);
        }

        // A fresh code (the one above was only read) is redeemed as ever.
        var tokens = await browser.FinishAsync();
        Assert.Equal(SecurityAlgorithms.RsaSha256, new JsonWebToken(tokens.GetProperty("access_token").GetString()!).Alg);
        Assert.Equal(SecurityAlgorithms.RsaSha256, new JsonWebToken(tokens.GetProperty("id_token").GetString()!).Alg);
    }

    [Fact]
    public async Task Should_refuse_an_expired_code()
    {
        const string phone = "13900001111";
        using var browser = new Browser(_host);
        await browser.OpenSignInAsync();
        await browser.SendCodeAsync(phone);
        var code = await _host.LatestCodeAsync(phone);
        _host.Time.Offset = TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1);
        var (status, page) = await browser.EnterCodeAsync(phone, code!);
        _host.Time.Offset = TimeSpan.Zero;
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("验证码已过期", page);
    }

    [Fact]
    public async Task Should_void_the_code_after_five_wrong_tries()
    {
        const string phone = "13700002222";
        using var browser = new Browser(_host);
        await browser.OpenSignInAsync();
        await browser.SendCodeAsync(phone);
        var code = (await _host.LatestCodeAsync(phone))!;
        var wrong = code == "000000" ? "111111" : "000000";
        string page = "";
        for (var attempt = 0; attempt < 5; attempt++)
        {
            (_, page) = await browser.EnterCodeAsync(phone, wrong);
        }

        Assert.Contains("验证码输错次数过多", page);
        var (status, last) = await browser.EnterCodeAsync(phone, code);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("验证码输错次数过多", last);
    }

    [Fact]
    public async Task Should_sign_in_once_when_the_right_code_is_entered_twice_at_once()
    {
        const string phone = "13500005555";
        using var first = new Browser(_host);
        using var second = new Browser(_host);
        await first.OpenSignInAsync();
        await second.OpenSignInAsync();
        Assert.Equal(HttpStatusCode.OK, (await first.SendCodeAsync(phone)).Status);
        var code = (await _host.LatestCodeAsync(phone))!;

        // The code is used up in the transaction that opens the session: of two uses at once, one signs in, and the
        // other, refused, leaves no session (nor a second subject) behind.
        var results = await Task.WhenAll(first.EnterCodeAsync(phone, code), second.EnterCodeAsync(phone, code));
        Assert.Single(results, r => r.Status == HttpStatusCode.Redirect);
        Assert.Single(results, r => r.Status == HttpStatusCode.BadRequest);
        var subject = await _host.ScalarAsync<string>("SELECT subject FROM identity_applicants WHERE phone_number = @Phone", new { Phone = phone });
        Assert.Equal(1, await _host.ScalarAsync<long>("SELECT COUNT(*) FROM identity_sessions WHERE subject = @Subject", new { Subject = subject }));
        Assert.Equal(1, await _host.ScalarAsync<long>(
            "SELECT COUNT(*) FROM identity_sms_codes WHERE phone_number = @Phone AND used_at IS NOT NULL", new { Phone = phone }));
    }

    [Fact]
    public async Task Should_send_one_code_when_many_requests_for_one_number_arrive_at_once()
    {
        const string phone = "13600004444";
        var browsers = Enumerable.Range(0, 12).Select(_ => new Browser(_host)).ToList();
        try
        {
            foreach (var browser in browsers)
            {
                await browser.OpenSignInAsync();
            }

            var results = await Task.WhenAll(browsers.Select(b => b.SendCodeAsync(phone)));
            Assert.Single(results, r => r.Status == HttpStatusCode.OK);
            Assert.All(results.Where(r => r.Status != HttpStatusCode.OK), r => Assert.Contains("秒后再重新获取", r.Page));
            Assert.Equal(1, (await _host.Http.GetFromJsonAsync<JsonElement>($"{_host.SmsUrl}/api/v1/messages?phone={phone}")).GetArrayLength());
        }
        finally
        {
            browsers.ForEach(b => b.Dispose());
        }
    }

    [Fact]
    public async Task Should_send_at_most_one_code_a_minute_and_ten_a_day()
    {
        const string phone = "13600003333";
        using var browser = new Browser(_host);
        await browser.OpenSignInAsync();
        Assert.Equal(HttpStatusCode.OK, (await browser.SendCodeAsync(phone)).Status);
        var (status, page) = await browser.SendCodeAsync(phone);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("秒后再重新获取", page);

        // Nine more, a minute apart, fit in one China day (the test starts near its beginning); the eleventh does not.
        var startOfDay = new DateTimeOffset(DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).Date, TimeSpan.FromHours(8));
        var now = DateTimeOffset.UtcNow;
        for (var i = 1; i <= 10; i++)
        {
            var at = now + TimeSpan.FromMinutes(2 * i);
            if (at.ToOffset(TimeSpan.FromHours(8)).Date != startOfDay.Date)
            {
                return; // Too close to midnight in China to count within one day; the minute rule was checked above.
            }

            _host.Time.Offset = TimeSpan.FromMinutes(2 * i);
            (status, page) = await browser.SendCodeAsync(phone);
            Assert.Equal(i < 10 ? HttpStatusCode.OK : HttpStatusCode.BadRequest, status);
        }

        _host.Time.Offset = TimeSpan.Zero;
        Assert.Contains("已达上限", page);
        Assert.Equal(10, (await _host.Http.GetFromJsonAsync<JsonElement>($"{_host.SmsUrl}/api/v1/messages?phone={phone}")).GetArrayLength());
    }
}

/// <summary>
/// The database restarted (or failed over) and every pooled connection Identity held is dead: the next person asking
/// for a code and signing in is served, not answered 500 by the first dead connection (seen in the fault run).
/// </summary>
public sealed class When_the_database_dropped_identitys_connections : IAsyncLifetime
{
    private IdentityHost _host = null!;

    public async Task InitializeAsync() => _host = await IdentityHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Should_still_send_the_code_and_sign_in()
    {
        // Several connections in the pool, as after a busy moment.
        await Task.WhenAll(Enumerable.Range(0, 6).Select(async i =>
        {
            using var warm = new Browser(_host);
            await warm.OpenSignInAsync();
            Assert.Equal(HttpStatusCode.OK, (await warm.SendCodeAsync($"1380057{i:D4}")).Status);
        }));

        Assert.True(await DropConnectionsAsync() > 0, "Identity had connections to drop");

        const string phone = "13900571234";
        using var browser = new Browser(_host);
        await browser.OpenSignInAsync();
        var (sent, page) = await browser.SendCodeAsync(phone);
        Assert.True(sent == HttpStatusCode.OK, page);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.EnterCodeAsync(phone, (await _host.LatestCodeAsync(phone))!)).Status);
    }

    /// <summary>Ends every backend of Identity's database, as a restart of the server does.</summary>
    private async Task<long> DropConnectionsAsync()
    {
        var database = new Npgsql.NpgsqlConnectionStringBuilder(_host.ConnectionString).Database;
        await using var admin = new Npgsql.NpgsqlConnection(
            new Npgsql.NpgsqlConnectionStringBuilder(_host.ConnectionString) { Database = "postgres", Pooling = false }.ConnectionString);
        await admin.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = @database AND pid <> pg_backend_pid()", admin);
        command.Parameters.AddWithValue("database", database!);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
