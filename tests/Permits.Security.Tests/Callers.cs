using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Grpc.Core;

namespace Permits.Security.Tests;

/// <summary>Who calls: every kind of caller the separation of role, county, owner and province must hold against.</summary>
public enum Caller
{
    Anonymous,
    /// <summary>The shopkeeper whose applications, drafts, materials and licence the requests name.</summary>
    Owner,
    OtherShopkeeper,
    /// <summary>受理 of the county the requests name (海盐县 330424).</summary>
    Clerk,
    /// <summary>核查</summary>
    Inspector,
    /// <summary>审核</summary>
    Reviewer,
    /// <summary>审批</summary>
    Head,
    /// <summary>政务公开</summary>
    DisclosureClerk,
    /// <summary>An officer of 嘉善县 in the role the rpc asks for (the head where it asks for no officer).</summary>
    OtherCountyOfficer,
    /// <summary>The 浙江 platform (province 33, where the county lies).</summary>
    PlatformOfProvince,
    /// <summary>The 江苏 platform (province 32).</summary>
    PlatformOfOtherProvince,
    /// <summary>A token Identity signed, of the rpc's most likely allowed caller, expired ten minutes ago.</summary>
    ExpiredToken,
    /// <summary>A real token of that caller with its signature altered.</summary>
    BadSignature,
    /// <summary>The same header and claims signed with a key Identity never had.</summary>
    OtherKey,
    /// <summary>The same claims, unsigned (alg none).</summary>
    AlgNone,
}

public static class CallerKinds
{
    public static readonly Caller[] All = Enum.GetValues<Caller>();

    public static readonly Caller[] InvalidTokens = [Caller.ExpiredToken, Caller.BadSignature, Caller.OtherKey, Caller.AlgNone];

    public static readonly Caller[] CountyOfficers = [Caller.Clerk, Caller.Inspector, Caller.Reviewer, Caller.Head, Caller.DisclosureClerk];

    public static readonly Caller[] Shopkeepers = [Caller.Owner, Caller.OtherShopkeeper];

    public static readonly Caller[] Platforms = [Caller.PlatformOfProvince, Caller.PlatformOfOtherProvince];

    /// <summary>The Identity role of a county officer caller.</summary>
    public static string Role(Caller caller) => caller switch
    {
        Caller.Clerk => "clerk",
        Caller.Inspector => "inspector",
        Caller.Reviewer => "reviewer",
        Caller.Head => "head",
        Caller.DisclosureClerk => "disclosure-clerk",
        _ => throw new ArgumentOutOfRangeException(nameof(caller), caller, "not a county officer"),
    };
}

/// <summary>
/// The tokens of every caller: real ones from the system's Identity (password grant for officers, SMS sign-in for
/// shopkeepers, client credentials for platforms), and forgeries made from them.
/// </summary>
public sealed class CallerTokens(SystemUnderTest system)
{
    public const string County = "330424";
    public const string OtherCounty = "330421";
    public const string OwnerPhone = "13800571234";
    public const string OtherShopkeeperPhone = "13905731199";

    private static readonly RSA Stranger = RSA.Create(2048);

    public async Task<string> OfficerAsync(string county, string role) =>
        await system.Officers.TokenAsync((county == County ? "hy-" : "js-") + role switch
        {
            "inspector" => "inspector1",
            "disclosure-clerk" => "gongkai",
            _ => role,
        });

    /// <summary>The token a caller presents; null for none. <paramref name="model"/> is the caller forgeries imitate.</summary>
    public async Task<string?> TokenAsync(Caller caller, Caller model, string otherCountyRole) => caller switch
    {
        Caller.Anonymous => null,
        Caller.Owner => await system.Shopkeepers.TokenAsync(OwnerPhone),
        Caller.OtherShopkeeper => await system.Shopkeepers.TokenAsync(OtherShopkeeperPhone),
        Caller.OtherCountyOfficer => await OfficerAsync(OtherCounty, otherCountyRole),
        Caller.PlatformOfProvince => await system.Officers.PlatformTokenAsync("platform-zj", "platform-zj-demo-secret"),
        Caller.PlatformOfOtherProvince => await system.Officers.PlatformTokenAsync("platform-js", "platform-js-demo-secret"),
        Caller.ExpiredToken => Expired(await RealAsync(model)),
        Caller.BadSignature => WithAlteredSignature(await RealAsync(model)),
        Caller.OtherKey => Resigned(await RealAsync(model), Stranger),
        Caller.AlgNone => Unsigned(await RealAsync(model)),
        _ => await OfficerAsync(County, CallerKinds.Role(caller)),
    };

    public async Task<Metadata> HeadersAsync(Caller caller, Caller model, string otherCountyRole) =>
        await TokenAsync(caller, model, otherCountyRole) is { } token ? new Metadata { { "Authorization", "Bearer " + token } } : [];

    private Task<string> RealAsync(Caller model) => TokenAsync(model, model, "head")!;

    /// <summary>Identity's own signing key (generated in the data folder in this mode): the claims re-dated into the past.</summary>
    private string Expired(string token)
    {
        var folder = Path.Combine(system.DataDirectory, "identity-keys");
        using var key = RSA.Create();
        key.ImportFromPem(File.ReadAllText(Path.Combine(folder, "signing.pem")));
        var (header, payload, _) = Split(token);
        var now = DateTimeOffset.UtcNow;
        payload["iat"] = now.AddHours(-2).ToUnixTimeSeconds();
        payload["nbf"] = now.AddHours(-2).ToUnixTimeSeconds();
        payload["exp"] = now.AddMinutes(-10).ToUnixTimeSeconds();
        return Sign(header, payload, key);
    }

    private static string WithAlteredSignature(string token)
    {
        var parts = token.Split('.');
        var signature = FromBase64Url(parts[2]);
        signature[signature.Length / 2] ^= 0x5A;
        return parts[0] + "." + parts[1] + "." + Base64Url(signature);
    }

    private static string Resigned(string token, RSA key)
    {
        var (header, payload, _) = Split(token);
        return Sign(header, payload, key);
    }

    private static string Unsigned(string token)
    {
        var (header, payload, _) = Split(token);
        header["alg"] = "none";
        header.Remove("kid");
        return Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." +
               Base64Url(Encoding.UTF8.GetBytes(payload.ToJsonString())) + ".";
    }

    private static (JsonObject Header, JsonObject Payload, string Signature) Split(string token)
    {
        var parts = token.Split('.');
        return (JsonNode.Parse(FromBase64Url(parts[0]))!.AsObject(), JsonNode.Parse(FromBase64Url(parts[1]))!.AsObject(), parts[2]);
    }

    private static string Sign(JsonObject header, JsonObject payload, RSA key)
    {
        var input = Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + Base64Url(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        return input + "." + Base64Url(key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + (4 - padded.Length % 4) % 4, '='));
    }
}
