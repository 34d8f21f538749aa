using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Permits.LocalInfra;
using Permits.Shared.Security;
using Permits.Testing;

namespace Permits.Identity.Tests;

public sealed class When_an_officer_signs_in_with_a_password : IAsyncLifetime
{
    private IdentityHost _host = null!;

    public async Task InitializeAsync() => _host = await IdentityHost.StartAsync(withSms: false);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("hy-head", "head", "330424")]
    [InlineData("hy-clerk", "clerk", "330424")]
    [InlineData("js-clerk", "clerk", "330421")]
    public async Task Should_get_a_token_with_the_role_and_county(string username, string role, string county)
    {
        var token = await _host.OfficerTokenAsync(username);
        var payload = IdentityHost.Payload(token);
        Assert.Equal([role], IdentityHost.Values(payload, "role"));
        Assert.Equal(county, payload.GetProperty("county").GetString());
        Assert.Equal("o-" + username, payload.GetProperty("sub").GetString());
        Assert.Contains("permits-review", IdentityHost.Values(payload, "aud"));
        Assert.Equal(_host.Url, payload.GetProperty("iss").GetString());

        var (principal, error) = await _host.Validator("permits-review").ValidateAsync(token, default);
        Assert.True(principal is not null, error);
        var caller = CallerIdentity.From(principal);
        Assert.Equal(county, caller.County);
        Assert.True(caller.IsInRole(role));
        Assert.True(caller.ActsIn(county));
    }

    [Fact]
    public async Task Should_refuse_a_wrong_password_and_an_unknown_user_alike()
    {
        foreach (var (user, password) in new[] { ("hy-head", "wrong"), ("nobody", "Permits@2026") })
        {
            using var response = await _host.TokenAsync(("grant_type", "password"), ("client_id", IdentityHost.ClientId),
                ("client_secret", IdentityHost.ClientSecret), ("username", user), ("password", password), ("scope", "openid permits"));
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("invalid_grant", body.GetProperty("error").GetString());
        }
    }

    [Fact]
    public async Task Should_show_the_officer_sign_in_page_in_chinese()
    {
        var page = await _host.Http.GetStringAsync(_host.Url + "account/officer?returnUrl=%2Fconnect%2Fauthorize");
        Assert.Contains("lang=\"zh-CN\"", page);
        Assert.Contains("<label for=\"username\">用户名</label>", page);
        Assert.DoesNotContain("<script", page);
    }
}

public sealed class When_a_platform_asks_for_a_token : IAsyncLifetime
{
    private IdentityHost _host = null!;

    public async Task InitializeAsync() => _host = await IdentityHost.StartAsync(withSms: false);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("platform-zj", "platform-zj-demo-secret", "33")]
    [InlineData("platform-js", "platform-js-demo-secret", "32")]
    public async Task Should_get_its_province_and_the_disclosure_scope(string client, string secret, string province)
    {
        using var response = await _host.TokenAsync(("grant_type", "client_credentials"), ("client_id", client),
            ("client_secret", secret), ("scope", "disclosure.read"));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        var payload = IdentityHost.Payload(body.GetProperty("access_token").GetString()!);
        Assert.Equal(province, payload.GetProperty("province").GetString());
        Assert.Equal(["platform"], IdentityHost.Values(payload, "role"));
        Assert.Equal(["permits-disclosure"], IdentityHost.Values(payload, "aud"));
        Assert.Equal("disclosure.read", payload.GetProperty("scope").GetString());
        Assert.Equal(client, payload.GetProperty("sub").GetString());
    }

    [Fact]
    public async Task Should_refuse_a_wrong_secret_and_a_scope_it_does_not_have()
    {
        using var wrongSecret = await _host.TokenAsync(("grant_type", "client_credentials"), ("client_id", "platform-zj"),
            ("client_secret", "platform-js-demo-secret"), ("scope", "disclosure.read"));
        Assert.Equal("invalid_client", (await wrongSecret.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());

        using var wrongScope = await _host.TokenAsync(("grant_type", "client_credentials"), ("client_id", "platform-zj"),
            ("client_secret", "platform-zj-demo-secret"), ("scope", "permits"));
        Assert.Equal("invalid_scope", (await wrongScope.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());

        using var wrongGrant = await _host.TokenAsync(("grant_type", "password"), ("client_id", "platform-zj"),
            ("client_secret", "platform-zj-demo-secret"), ("username", "hy-head"), ("password", "Permits@2026"));
        Assert.Equal("unauthorized_client", (await wrongGrant.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }
}

public sealed class When_the_signing_key_is_rotated
{
    [Fact]
    public async Task Should_still_accept_tokens_of_the_old_key_and_refuse_tampered_ones()
    {
        using var oldKey = RSA.Create(2048);
        using var newKey = RSA.Create(2048);
        var database = await (await TestServers.GetAsync()).NewDatabaseAsync("identity_tests");
        var port = FreePort.Next();

        string oldToken;
        await using (var before = await IdentityHost.StartAsync(port, database, oldKey, withSms: false))
        {
            oldToken = await before.OfficerTokenAsync("hy-reviewer");
        }

        await using var after = await IdentityHost.StartAsync(port, database, newKey, previousKey: oldKey, withSms: false);
        var newToken = await after.OfficerTokenAsync("hy-reviewer");
        var validator = after.Validator("permits-review");

        var (fromOld, oldError) = await validator.ValidateAsync(oldToken, default);
        Assert.True(fromOld is not null, oldError);
        var (fromNew, newError) = await validator.ValidateAsync(newToken, default);
        Assert.True(fromNew is not null, newError);
        Assert.Equal(IdentityHost.KeyId(newKey), JsonDocument.Parse(Base64UrlDecode(newToken.Split('.')[0])).RootElement.GetProperty("kid").GetString());

        // Claim to be a head instead of a reviewer: the signature no longer matches.
        var parts = oldToken.Split('.');
        var forged = Base64UrlDecode(parts[1]).Replace("\"reviewer\"", "\"head\"");
        Assert.Contains("\"head\"", forged);
        var tampered = $"{parts[0]}.{Base64UrlEncode(forged)}.{parts[2]}";
        var (fromTampered, _) = await validator.ValidateAsync(tampered, default);
        Assert.Null(fromTampered);

        // A key that was never Identity's: refused.
        await using var stranger = await IdentityHost.StartAsync(port: null, signingKey: RSA.Create(2048), withSms: false);
        var (fromStranger, _) = await validator.ValidateAsync(await stranger.OfficerTokenAsync("hy-reviewer"), default);
        Assert.Null(fromStranger);
    }

    private static string Base64UrlDecode(string part)
    {
        part = part.Replace('-', '+').Replace('_', '/');
        return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(part.PadRight(part.Length + ((4 - (part.Length % 4)) % 4), '=')));
    }

    private static string Base64UrlEncode(string text) =>
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>A service protected by AddPermitsAuthentication trusts Tokens.cs tokens by configuration alone.</summary>
public sealed class When_a_service_is_called_with_a_test_token : IAsyncLifetime
{
    private WebApplication _app = null!;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private string _url = "";

    public async Task InitializeAsync()
    {
        _url = $"http://127.0.0.1:{FreePort.Next()}";
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(Tokens.Configuration);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = _url });
        builder.AddPermitsAuthentication(PermitsAudiences.Review);
        _app = builder.Build();
        _app.MapGet("/clerk", (HttpContext context) => CallerIdentity.From(context)).RequireAuthorization(PermitsPolicies.Clerk);
        _app.MapGet("/officer", (HttpContext context) => CallerIdentity.From(context).County).RequireAuthorization(PermitsPolicies.Officer);
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Should_let_the_right_role_in_and_keep_others_out()
    {
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("/clerk", Tokens.Officer("330424", "clerk")));
        var caller = await GetAsync<JsonElement>("/clerk", Tokens.Officer("330424", "clerk"));
        Assert.Equal("330424", caller.GetProperty("county").GetString());

        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync("/clerk", Tokens.Officer("330424", "head")));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync("/officer", Tokens.Applicant(audience: PermitsAudiences.Review)));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("/officer", Tokens.Officer("330421", "inspector")));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync("/clerk", null));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync("/clerk", Tokens.OfficerFor(PermitsAudiences.Disclosure, "330424", "clerk")));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync("/clerk",
            Tokens.Mint(PermitsAudiences.Review, "x", null, ["clerk"], new() { ["county"] = "330424" }, lifetime: TimeSpan.FromMinutes(-10))));
        // An access token is good for its lifetime plus one minute of clock skew, no longer: the Portal's five-minute
        // tokens open the APIs at most six minutes after their last renewal.
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync("/clerk",
            Tokens.Mint(PermitsAudiences.Review, "x", null, ["clerk"], new() { ["county"] = "330424" }, lifetime: TimeSpan.FromSeconds(-65))));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync("/clerk",
            Tokens.Mint(PermitsAudiences.Review, "x", null, ["clerk"], new() { ["county"] = "330424" }, issuer: "https://elsewhere/")));
    }

    private async Task<HttpStatusCode> StatusAsync(string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _url + path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await _http.SendAsync(request);
        return response.StatusCode;
    }

    private async Task<T> GetAsync<T>(string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _url + path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _http.SendAsync(request);
        return (await response.Content.ReadFromJsonAsync<T>())!;
    }
}
