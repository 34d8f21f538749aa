using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Permits.FakeSms;
using Permits.LocalInfra;
using Permits.Shared.Security;
using Permits.Testing;

namespace Permits.Identity.Tests;

/// <summary>
/// The Identity service alone on a real PostgreSQL database, over real HTTP, with the fake SMS gateway beside it,
/// and the demo accounts plus a Portal-like client (code + PKCE, password) registered.
/// </summary>
public sealed partial class IdentityHost : ServiceHost
{
    public const string ClientId = "portal-test";
    public const string ClientSecret = "portal-test-secret";
    public const string RedirectUri = "http://127.0.0.1/signin-callback";
    public const string PortalSecret = "portal-demo-secret";

    private IdentityHost(int? port, string? connectionString)
        : base("identity", connectionString: connectionString, httpPort: port)
    {
    }

    public string Url => HttpUrl + "/";

    public string SmsUrl { get; } = $"http://127.0.0.1:{FreePort.Next()}";

    /// <summary>The service's clock, which a test may move forward.</summary>
    public ShiftedTime Time { get; } = new();

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public static async Task<IdentityHost> StartAsync(
        int? port = null, string? connectionString = null, RSA? signingKey = null, RSA? previousKey = null, bool withSms = true,
        string? portalUrl = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var host = new IdentityHost(port, connectionString);
        var config = new Dictionary<string, string?>
        {
            ["Identity:Issuer"] = host.Url,
            ["Identity:AllowHttp"] = "true",
            ["Identity:DemoAccounts"] = "true",
            ["Identity:SmsGatewayUrl"] = host.SmsUrl,
            ["Identity:Clients:0:ClientId"] = ClientId,
            ["Identity:Clients:0:ClientSecret"] = ClientSecret,
            ["Identity:Clients:0:Name"] = "测试门户",
            ["Identity:Clients:0:GrantTypes:0"] = "authorization_code",
            ["Identity:Clients:0:GrantTypes:1"] = "password",
            ["Identity:Clients:0:RedirectUris:0"] = RedirectUri,
            ["Identity:Clients:0:Scopes:0"] = "openid",
            ["Identity:Clients:0:Scopes:1"] = "profile",
            ["Identity:Clients:0:Scopes:2"] = "permits",
        };
        if (portalUrl is not null)
        {
            config["Identity:Clients:1:ClientId"] = "portal";
            config["Identity:Clients:1:ClientSecret"] = PortalSecret;
            config["Identity:Clients:1:GrantTypes:0"] = "authorization_code";
            config["Identity:Clients:1:RedirectUris:0"] = portalUrl + "/signin-oidc";
            config["Identity:Clients:1:PostLogoutRedirectUris:0"] = portalUrl + "/";
            config["Identity:Clients:1:Scopes:0"] = "openid";
            config["Identity:Clients:1:Scopes:1"] = "profile";
            config["Identity:Clients:1:Scopes:2"] = "permits";
        }

        if (signingKey is not null)
        {
            config["Identity:SigningKey:KeyId"] = KeyId(signingKey);
            config["Identity:SigningKey:Pem"] = signingKey.ExportPkcs8PrivateKeyPem();
        }

        if (previousKey is not null)
        {
            config["Identity:PreviousSigningKey:KeyId"] = KeyId(previousKey);
            config["Identity:PreviousSigningKey:Pem"] = previousKey.ExportPkcs8PrivateKeyPem();
        }

        if (withSms)
        {
            await host.StartBesideAsync(FakeSmsServer.Build(host.SmsUrl));
        }

        await host.StartAsync(new ServiceSetup
        {
            Settings = config,
            Overrides = settings,
            Time = host.Time,
            Add = builder => builder.AddIdentityService(),
            Map = app => app.MapIdentityService(),
        });
        return host;
    }

    public static string KeyId(RSA key) =>
        "k-" + Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..12];

    public async Task<HttpResponseMessage> TokenAsync(params (string Key, string Value)[] form) =>
        await Http.PostAsync(Url + "connect/token", new FormUrlEncodedContent(form.Select(p => KeyValuePair.Create(p.Key, p.Value))));

    public async Task<string> OfficerTokenAsync(string username, string password = "Permits@2026")
    {
        using var response = await TokenAsync(("grant_type", "password"), ("client_id", ClientId), ("client_secret", ClientSecret),
            ("username", username), ("password", password), ("scope", "openid permits"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>A validator as a service would build it: discovery from this Identity service.</summary>
    public PermitsTokenValidator Validator(string audience)
    {
        var audiences = new PermitsAudienceSet();
        audiences.Add(audience);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Identity:Authority"] = Url })
            .Build();
        return PermitsTokenValidator.Create(configuration, audiences, null);
    }

    /// <summary>The latest SMS the fake gateway received for a number, as a person would read it.</summary>
    public async Task<string?> LatestCodeAsync(string phone)
    {
        var messages = await Http.GetFromJsonAsync<JsonElement>($"{SmsUrl}/api/v1/messages?phone={phone}");
        var latest = messages.EnumerateArray().FirstOrDefault();
        return latest.ValueKind == JsonValueKind.Undefined ? null : SixDigits().Match(latest.GetProperty("text").GetString()!).Value;
    }

    public static JsonElement Payload(string jwt)
    {
        var part = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
        part = part.PadRight(part.Length + ((4 - (part.Length % 4)) % 4), '=');
        return JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(part))).RootElement;
    }

    public static IReadOnlyList<string> Values(JsonElement payload, string claim) =>
        !payload.TryGetProperty(claim, out var value) ? []
        : value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().Select(v => v.GetString()!).ToList()
        : [value.GetString()!];

    public override async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await base.DisposeAsync();
    }

    [GeneratedRegex(@"\d{6}")]
    private static partial Regex SixDigits();
}

/// <summary>The system clock plus an offset a test controls (to let a code expire without waiting).</summary>
public sealed class ShiftedTime : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
}
