using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Permits.Shared.Hosting;
using Permits.Testing;

namespace Permits.Identity.Tests;

/// <summary>
/// Two Identity replicas on one database behind a TLS-terminating proxy: requests reach them as plain HTTP with
/// <c>X-Forwarded-Proto: https</c>, and the load balancer sends a person's requests to either.
/// </summary>
public sealed partial class When_identity_runs_as_two_replicas_behind_a_tls_proxy : IAsyncLifetime
{
    private static readonly Dictionary<string, string?> BehindProxy = new()
    {
        ["Identity:AllowHttp"] = "false",
        ["ForwardedHeaders:Enabled"] = "true",
        ["ForwardedHeaders:KnownNetworks"] = "127.0.0.0/8, ::1/128",
        ["Identity:EncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
    };

    private readonly RSA _signingKey = RSA.Create(2048);
    private IdentityHost _a = null!;
    private IdentityHost _b = null!;

    public async Task InitializeAsync()
    {
        _a = await IdentityHost.StartAsync(signingKey: _signingKey, settings: BehindProxy);
        // One public issuer for both, as behind one ingress host name.
        _b = await IdentityHost.StartAsync(connectionString: _a.ConnectionString, signingKey: _signingKey, withSms: false,
            settings: new Dictionary<string, string?>(BehindProxy) { ["Identity:Issuer"] = _a.Url });
    }

    public async Task DisposeAsync()
    {
        await _b.DisposeAsync();
        await _a.DisposeAsync();
        _signingKey.Dispose();
    }

    [Fact]
    public async Task Should_sign_an_officer_in_with_a_form_from_one_replica_posted_to_the_other()
    {
        using var browser = new ProxiedBrowser();
        var verifier = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var authorize = "connect/authorize?client_id=" + IdentityHost.ClientId
            + "&redirect_uri=" + Uri.EscapeDataString(IdentityHost.RedirectUri) + "&response_type=code&scope=openid%20permits&state=s1"
            + "&code_challenge=" + Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_')
            + "&code_challenge_method=S256";

        // Replica A serves the officer's sign-in form for the authorization request…
        using var page = await browser.GetAsync(_a.Url + "account/officer?returnUrl=" + Uri.EscapeDataString("/" + authorize));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();

        // …replica B takes the posted form: the antiforgery token A made is good on B.
        using var signedIn = await browser.PostAsync(_b.Url + "account/officer",
            ("__RequestVerificationToken", WebUtility.HtmlDecode(Antiforgery().Match(html).Groups[1].Value)),
            ("returnUrl", "/" + authorize), ("username", "hy-clerk"), ("password", "Permits@2026"));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/" + authorize, signedIn.Headers.Location!.OriginalString);

        // The session cookie B issued opens the authorization endpoint on A, which accepts the proxied request as HTTPS.
        using var code = await browser.GetAsync(_a.Url + authorize);
        var body = await code.Content.ReadAsStringAsync();
        Assert.True(code.StatusCode == HttpStatusCode.Redirect, $"{(int)code.StatusCode}: {body}");
        var callback = code.Headers.Location!;
        Assert.StartsWith(IdentityHost.RedirectUri, callback.ToString());

        using var token = await browser.PostAsync(_b.Url + "connect/token",
            ("grant_type", "authorization_code"), ("client_id", IdentityHost.ClientId), ("client_secret", IdentityHost.ClientSecret),
            ("code", System.Web.HttpUtility.ParseQueryString(callback.Query)["code"]!), ("redirect_uri", IdentityHost.RedirectUri),
            ("code_verifier", verifier));
        Assert.True(token.IsSuccessStatusCode, await token.Content.ReadAsStringAsync());

        // The key ring both used is the one in their database, not a folder this machine happens to share.
        Assert.True(await _a.ScalarAsync<long>("SELECT COUNT(*) FROM data_protection_keys") > 0);
    }

    [Fact]
    public async Task Should_refuse_plain_http_that_no_proxy_vouches_for()
    {
        using var http = new HttpClient();
        using var token = await http.PostAsync(_a.Url + "connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = IdentityHost.ClientId, ["client_secret"] = IdentityHost.ClientSecret,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, token.StatusCode);
        Assert.Contains("ID2083", await token.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Should_take_the_portals_back_channel_call_as_if_it_came_through_the_ingress()
    {
        // The Portal in the cluster: the browser knows Identity by its public https name, the Portal calls it inside.
        var portal = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Identity:Authority"] = "https://login.permits.example.test/",
            ["Identity:BackChannel"] = _a.Url,
        }).Build();
        using var http = new HttpClient(Permits.Portal.Security.IdentityBackChannel.Handler(portal))
        {
            BaseAddress = Permits.Portal.Security.IdentityBackChannel.Address(portal),
        };

        using var token = await http.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = IdentityHost.ClientId, ["client_secret"] = IdentityHost.ClientSecret,
        }));

        // Not refused as plain HTTP (ID2083): whatever Identity answers, it judged the request itself.
        Assert.DoesNotContain("ID2083", await token.Content.ReadAsStringAsync());
    }

    [Fact]
    public void Should_call_identity_at_its_public_address_when_no_back_channel_is_set()
    {
        var portal = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Identity:Authority"] = "https://login.permits.example.test",
        }).Build();

        Assert.Equal(new Uri("https://login.permits.example.test/"), Permits.Portal.Security.IdentityBackChannel.Address(portal));
        Assert.IsType<SocketsHttpHandler>(Permits.Portal.Security.IdentityBackChannel.Handler(portal));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*?value=\"([^\"]+)\"")]
    private static partial Regex Antiforgery();

    /// <summary>
    /// What reaches a replica from the proxy: plain HTTP carrying X-Forwarded-Proto and the client's address. Cookies are
    /// kept by hand: they are marked Secure (the browser saw HTTPS), which a cookie container would not send over http.
    /// </summary>
    private sealed class ProxiedBrowser : IDisposable
    {
        private readonly Dictionary<string, string> _cookies = [];
        private readonly HttpClient _http = new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };

        public Task<HttpResponseMessage> GetAsync(string url) => SendAsync(new HttpRequestMessage(HttpMethod.Get, url));

        public Task<HttpResponseMessage> PostAsync(string url, params (string Key, string Value)[] fields) =>
            SendAsync(new HttpRequestMessage(HttpMethod.Post, url)
            {
                Content = new FormUrlEncodedContent(fields.Select(p => KeyValuePair.Create(p.Key, p.Value))),
            });

        private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
        {
            request.Headers.Add("X-Forwarded-Proto", "https");
            request.Headers.Add("X-Forwarded-For", "203.0.113.7");
            if (_cookies.Count > 0)
            {
                request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}")));
            }

            var response = await _http.SendAsync(request);
            foreach (var header in response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
            {
                var pair = header.Split(';', 2)[0].Split('=', 2);
                _cookies[pair[0]] = pair[1];
            }

            return response;
        }

        public void Dispose() => _http.Dispose();
    }
}

public sealed class When_identity_starts_in_production_without_its_keys
{
    [Fact]
    public void Should_refuse_to_generate_them_naming_each_setting()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Identity:Issuer"] = "https://identity.example/",
            ["DataDirectory"] = TestData.NewFolder("identity-guard-tests"),
        });
        builder.AddServiceDefaults();

        var refused = Assert.Throws<InvalidOperationException>(() => builder.AddIdentityService());

        Assert.Contains("Identity:SigningKey:Pem", refused.Message);
        Assert.Contains("Identity:SigningKey:KeyId", refused.Message);
        Assert.Contains("Identity:EncryptionKey", refused.Message);
        Assert.False(Directory.Exists(Path.Combine(builder.Configuration["DataDirectory"]!, "identity-keys")));
    }
}
