using System.Collections.Concurrent;
using System.Text.Json;
using Grpc.Core;

namespace Permits.Testing;

/// <summary>
/// Real officer access tokens from the running Identity service: the OAuth2 password grant for a test client
/// (<see cref="ClientId"/>, allowed that grant and scope <c>permits</c>), as the demo officers (hy-* 海盐县, js-* 嘉善县).
/// One token per officer, reused (they last an hour).
/// </summary>
public sealed class OfficerSignIn(string authority) : IDisposable
{
    public const string ClientId = "e2e-officers";
    public const string ClientSecret = "e2e-officers-secret";
    public const string Password = "Permits@2026";

    private readonly HttpClient _http = new() { BaseAddress = new Uri(authority.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(30) };
    private readonly ConcurrentDictionary<string, Task<string>> _tokens = new();

    /// <summary>Identity's client entries for the test client, as configuration under <c>Identity:Clients:{index}</c>.</summary>
    public static Dictionary<string, string?> ClientConfiguration(int index, string separator = ":") => new()
    {
        [$"Identity{separator}Clients{separator}{index}{separator}ClientId"] = ClientId,
        [$"Identity{separator}Clients{separator}{index}{separator}ClientSecret"] = ClientSecret,
        [$"Identity{separator}Clients{separator}{index}{separator}Name"] = "端到端测试",
        [$"Identity{separator}Clients{separator}{index}{separator}GrantTypes{separator}0"] = "password",
        [$"Identity{separator}Clients{separator}{index}{separator}Scopes{separator}0"] = "permits",
    };

    /// <summary>The demo officer of <paramref name="county"/> in <paramref name="role"/>.</summary>
    public static string Username(string county, string role) =>
        (county switch { "330424" => "hy", "330421" => "js", _ => throw new ArgumentException($"No demo officers in {county}.") })
        + "-" + role switch { "inspector" => "inspector1", Permits.Shared.Security.PermitsRoles.SystemAdmin => "admin", _ => role };

    /// <summary>The officer id an access token carries (its <c>sub</c> claim), read from the token's payload.</summary>
    public static string Subject(string accessToken)
    {
        var payload = accessToken.Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=');
        using var json = JsonDocument.Parse(Convert.FromBase64String(payload));
        return json.RootElement.GetProperty("sub").GetString()!;
    }

    /// <summary>gRPC headers carrying the officer's bearer token.</summary>
    public async Task<Metadata> AsAsync(string county, string role) =>
        new() { { "Authorization", "Bearer " + await TokenAsync(Username(county, role)) } };

    /// <summary>The officer's token, asked for once; a failed request is forgotten, so a later call asks again.</summary>
    public async Task<string> TokenAsync(string username)
    {
        var token = _tokens.GetOrAdd(username, RequestAsync);
        try
        {
            return await token;
        }
        catch
        {
            _tokens.TryRemove(KeyValuePair.Create(username, token));
            throw;
        }
    }

    /// <summary>
    /// An officer's own token with <paramref name="password"/> (an account an administrator created), not cached.
    /// </summary>
    public Task<string> TokenAsync(string username, string password) => RequestAsync(username, password);

    /// <summary>
    /// The first sign-in of an account with a temporary password, on Identity's officer page as a person would: the
    /// temporary password with a new one (twice). True when Identity signed the officer in (it redirects).
    /// </summary>
    public async Task<bool> ReplaceTemporaryPasswordAsync(string username, string temporaryPassword, string newPassword)
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new System.Net.CookieContainer() };
        using var browser = new HttpClient(handler) { BaseAddress = _http.BaseAddress, Timeout = _http.Timeout };
        var page = await browser.GetStringAsync("account/officer");
        var antiforgery = System.Net.WebUtility.HtmlDecode(
            System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\"[^>]*?value=\"([^\"]+)\"").Groups[1].Value);
        using var response = await browser.PostAsync("account/officer", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = antiforgery,
            ["returnUrl"] = "/",
            ["username"] = username,
            ["password"] = temporaryPassword,
            ["new_password"] = newPassword,
            ["confirm_password"] = newPassword,
        }));
        return response.StatusCode == System.Net.HttpStatusCode.Redirect;
    }

    private async Task<string> RequestAsync(string username) => await RequestAsync(username, Password);

    private async Task<string> RequestAsync(string username, string password)
    {
        using var response = await _http.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["username"] = username,
            ["password"] = password,
            ["client_id"] = ClientId,
            ["client_secret"] = ClientSecret,
            ["scope"] = "permits",
        }));
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Identity refused a token for {username}: {(int)response.StatusCode} {body}");
        }

        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>A platform's token by the client-credentials grant (the demo platforms: platform-zj 浙江, platform-js 江苏).</summary>
    public async Task<string> PlatformTokenAsync(string clientId, string clientSecret)
    {
        using var response = await _http.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = clientSecret,
            ["scope"] = "disclosure.read",
        }));
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Identity refused a token for {clientId}: {(int)response.StatusCode} {body}");
        }

        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("access_token").GetString()!;
    }

    public void Dispose() => _http.Dispose();
}
