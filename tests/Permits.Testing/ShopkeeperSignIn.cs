using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Grpc.Core;

namespace Permits.Testing;

/// <summary>
/// Real shopkeeper access tokens from the running Identity service, the way a shopkeeper gets one: the authorization
/// code flow (PKCE) of a test client, signing in on Identity's SMS page with the code the fake SMS gateway received.
/// A browser without JavaScript: follows redirects and forms by hand, keeping cookies. One token per phone, reused.
/// </summary>
public sealed partial class ShopkeeperSignIn(string authority, string smsGateway) : IDisposable
{
    public const string ClientId = "e2e-shopkeepers";
    public const string ClientSecret = "e2e-shopkeepers-secret";
    public const string RedirectUri = "http://127.0.0.1:9/e2e-callback";

    private readonly string _authority = authority.TrimEnd('/') + "/";
    private readonly HttpClient _sms = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly Dictionary<string, Task<string>> _tokens = [];
    private readonly Lock _lock = new();

    /// <summary>Identity's client entries for the test client, as configuration under <c>Identity:Clients:{index}</c>.</summary>
    public static Dictionary<string, string?> ClientConfiguration(int index, string separator = ":")
    {
        string Key(string rest) => $"Identity{separator}Clients{separator}{index}{separator}{rest}";
        return new()
        {
            [Key("ClientId")] = ClientId,
            [Key("ClientSecret")] = ClientSecret,
            [Key("Name")] = "端到端测试（申请人）",
            [Key($"GrantTypes{separator}0")] = "authorization_code",
            [Key($"RedirectUris{separator}0")] = RedirectUri,
            [Key($"Scopes{separator}0")] = "openid",
            [Key($"Scopes{separator}1")] = "permits",
        };
    }

    /// <summary>gRPC headers carrying the token of the shopkeeper with this mobile number.</summary>
    public async Task<Metadata> AsAsync(string phone) =>
        new() { { "Authorization", "Bearer " + await TokenAsync(phone) } };

    public Task<string> TokenAsync(string phone)
    {
        lock (_lock)
        {
            if (!_tokens.TryGetValue(phone, out var token))
            {
                token = SignInAsync(phone);
                _tokens[phone] = token;
            }

            return token;
        }
    }

    private async Task<string> SignInAsync(string phone)
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var authorize = _authority + "connect/authorize?" + string.Join('&', new Dictionary<string, string>
        {
            ["client_id"] = ClientId,
            ["redirect_uri"] = RedirectUri,
            ["response_type"] = "code",
            ["scope"] = "openid permits",
            ["state"] = "e2e",
            ["code_challenge"] = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))),
            ["code_challenge_method"] = "S256",
        }.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));

        // To the SMS sign-in page (at most eight redirects).
        var url = new Uri(authorize);
        string page;
        for (var hop = 0; ; hop++)
        {
            Assert.True(hop < 8, "Too many redirects on the way to the sign-in page.");
            using var response = await browser.GetAsync(url);
            if (response.StatusCode != HttpStatusCode.Redirect)
            {
                page = await response.Content.ReadAsStringAsync();
                Assert.True(response.IsSuccessStatusCode, $"Identity's sign-in page answered {(int)response.StatusCode}: {page}");
                break;
            }

            url = new Uri(url, response.Headers.Location!);
        }

        Assert.Contains("/account/sms", url.AbsolutePath);
        var (sent, sentPage) = await PostAsync(browser, page, ("action", "send"), ("phone", phone));
        Assert.True(sent == HttpStatusCode.OK, $"Identity did not send a code to {phone}: {(int)sent}");

        var code = await SmsCodes.ReadAsync(_sms, smsGateway, phone);

        var returnUrl = WebUtility.HtmlDecode(ReturnUrlField().Match(sentPage).Groups[1].Value);
        var (verified, verifiedPage) = await PostAsync(browser, sentPage, ("action", "verify"), ("phone", phone), ("code", code));
        Assert.True(verified == HttpStatusCode.Redirect, $"Identity refused the SMS code: {(int)verified} {verifiedPage}");

        using var back = await browser.GetAsync(new Uri(new Uri(_authority), returnUrl));
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        var callback = back.Headers.Location!;
        Assert.StartsWith(RedirectUri, callback.ToString());
        var authorizationCode = System.Web.HttpUtility.ParseQueryString(callback.Query)["code"]!;

        using var token = await browser.PostAsync(_authority + "connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = ClientId,
            ["client_secret"] = ClientSecret,
            ["code"] = authorizationCode,
            ["redirect_uri"] = RedirectUri,
            ["code_verifier"] = verifier,
        }));
        var body = await token.Content.ReadAsStringAsync();
        Assert.True(token.IsSuccessStatusCode, $"Identity refused the code exchange: {(int)token.StatusCode} {body}");
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>Posts Identity's SMS form as the page it came from filled it (antiforgery token and return URL).</summary>
    private async Task<(HttpStatusCode Status, string Page)> PostAsync(HttpClient browser, string fromPage, params (string Key, string Value)[] fields)
    {
        var form = fields
            .Append(("returnUrl", WebUtility.HtmlDecode(ReturnUrlField().Match(fromPage).Groups[1].Value)))
            .Append(("__RequestVerificationToken", WebUtility.HtmlDecode(Antiforgery().Match(fromPage).Groups[1].Value)))
            .Select(p => KeyValuePair.Create(p.Item1, p.Item2));
        using var response = await browser.PostAsync(_authority + "account/sms", new FormUrlEncodedContent(form));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public void Dispose() => _sms.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Antiforgery();

    [GeneratedRegex("name=\"returnUrl\" value=\"([^\"]*)\"")]
    private static partial Regex ReturnUrlField();
}
