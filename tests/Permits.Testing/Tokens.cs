using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Permits.Testing;

/// <summary>
/// Access tokens for tests, signed with a test key, in the shape the Identity service issues (RFC 9068 JWT, typ
/// at+jwt, claims sub/name/role/county/province/phone_number). Give the service under test <see cref="Configuration"/>
/// and it trusts these tokens through <c>AddPermitsAuthentication</c>, without Identity running:
/// <code>
/// builder.Configuration.AddInMemoryCollection(Tokens.Configuration);
/// var headers = new Metadata { { "Authorization", "Bearer " + Tokens.Officer("330424", "clerk") } };
/// </code>
/// </summary>
public static class Tokens
{
    public const string Issuer = "https://identity.permits.test/";
    public const string KeyId = "permits-test-key";

    private static readonly RSA Key = RSA.Create(2048);

    /// <summary>Configuration a service needs to trust these tokens (pinned public key, issuer).</summary>
    public static IReadOnlyDictionary<string, string?> Configuration { get; } = new Dictionary<string, string?>
    {
        ["Identity:Issuer"] = Issuer,
        ["Identity:SigningKeys:0:KeyId"] = KeyId,
        ["Identity:SigningKeys:0:PublicKeyPem"] = Key.ExportSubjectPublicKeyInfoPem(),
    };

    /// <summary>The test key's public half, for a test that needs it in another form.</summary>
    public static string PublicKeyPem => Key.ExportSubjectPublicKeyInfoPem();

    /// <summary>A shopkeeper signed in by mobile number.</summary>
    public static string Applicant(string phoneNumber = "13800571234", string? subject = null, string audience = "permits-intake") =>
        Mint(audience, subject ?? "applicant-" + phoneNumber, "申请人", ["applicant"], new() { ["phone_number"] = phoneNumber });

    /// <summary>A county officer with the given roles (clerk, inspector, reviewer, head).</summary>
    public static string Officer(string county, params string[] roles) =>
        Mint("permits-review", $"officer-{county}-{string.Join('-', roles)}", "测试工作人员", roles, new() { ["county"] = county });

    /// <summary>An officer token for another API.</summary>
    public static string OfficerFor(string audience, string county, params string[] roles) =>
        Mint(audience, $"officer-{county}-{string.Join('-', roles)}", "测试工作人员", roles, new() { ["county"] = county });

    /// <summary>A provincial platform (client credentials) with scope disclosure.read.</summary>
    public static string Platform(string province = "33", string clientId = "platform-test") =>
        Mint("permits-disclosure", clientId, "测试平台", ["platform"], new() { ["province"] = province }, scope: "disclosure.read");

    /// <summary>
    /// Any claims set. <paramref name="lifetime"/> may be negative for an expired token; <paramref name="issuer"/> other
    /// than <see cref="Issuer"/> for a token from a stranger.
    /// </summary>
    public static string Mint(
        string audience,
        string subject,
        string? name,
        IEnumerable<string> roles,
        Dictionary<string, string>? claims = null,
        string? scope = null,
        TimeSpan? lifetime = null,
        string issuer = Issuer)
    {
        var now = DateTimeOffset.UtcNow;
        var payload = new Dictionary<string, object>
        {
            ["iss"] = issuer,
            ["aud"] = audience,
            ["sub"] = subject,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = now.AddMinutes(-5).ToUnixTimeSeconds(),
            ["exp"] = now.Add(lifetime ?? TimeSpan.FromHours(1)).ToUnixTimeSeconds(),
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["role"] = roles.ToArray(),
        };
        if (name is not null)
        {
            payload["name"] = name;
        }

        if (scope is not null)
        {
            payload["scope"] = scope;
        }

        foreach (var (type, value) in claims ?? [])
        {
            payload[type] = value;
        }

        return Sign(new Dictionary<string, object> { ["alg"] = "RS256", ["typ"] = "at+jwt", ["kid"] = KeyId }, payload);
    }

    private static string Sign(Dictionary<string, object> header, Dictionary<string, object> payload)
    {
        var signingInput = Base64Url(JsonSerializer.SerializeToUtf8Bytes(header)) + "." +
                           Base64Url(JsonSerializer.SerializeToUtf8Bytes(payload));
        var signature = Key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url(signature);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
