using System.Buffers.Text;
using System.Text;
using Microsoft.Extensions.Configuration;
using Org.BouncyCastle.Crypto.Parameters;
using Permits.Certificate.Domain;
using Permits.Certificate.Signing;

namespace Permits.Certificate.Tests;

public sealed class When_a_licence_is_signed
{
    private static readonly Dictionary<string, string> Fields = new()
    {
        ["n"] = "330424100001",
        ["h"] = "海盐县武原街道便民烟杂店",
        ["v"] = "1",
        ["t"] = "2031-11-19",
    };

    private static SigningKeyRing Ring(params (string Id, string Bureau, string? PrivatePem, string? PublicPem)[] keys)
    {
        var settings = new Dictionary<string, string?>
        {
            ["DataDirectory"] = TestData.NewFolder("certificate-tests"),
        };
        for (var i = 0; i < keys.Length; i++)
        {
            settings[$"Certificate:Signing:Keys:{i}:KeyId"] = keys[i].Id;
            settings[$"Certificate:Signing:Keys:{i}:Bureau"] = keys[i].Bureau;
            settings[$"Certificate:Signing:Keys:{i}:PrivateKeyPem"] = keys[i].PrivatePem;
            settings[$"Certificate:Signing:Keys:{i}:PublicKeyPem"] = keys[i].PublicPem;
        }

        return new SigningKeyRing(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
    }

    private static (string PrivatePem, string PublicPem) NewKey()
    {
        var pair = Sm2.Generate();
        return (Sm2.ToPrivatePem((ECPrivateKeyParameters)pair.Private), Sm2.ToPublicPem((ECPublicKeyParameters)pair.Public));
    }

    [Fact]
    public void Should_serialize_the_same_fields_to_the_same_bytes_whatever_their_order()
    {
        var reversed = Fields.Reverse().ToDictionary(pair => pair.Key, pair => pair.Value);
        Assert.Equal(CanonicalJson.Serialize(Fields), CanonicalJson.Serialize(reversed));
        Assert.Equal(
            """{"h":"海盐县武原街道便民烟杂店","n":"330424100001","t":"2031-11-19","v":"1"}""",
            Encoding.UTF8.GetString(CanonicalJson.Serialize(Fields)));
    }

    [Fact]
    public void Should_verify_as_genuine_with_its_fields()
    {
        var (privatePem, _) = NewKey();
        var ring = Ring(("hy-2026", "330424", privatePem, null));
        var token = SignedToken.Create(ring.ActiveFor("330424"), Fields);

        var check = SignedToken.Check(ring, token);

        Assert.Equal(Authenticity.Genuine, check.Authenticity);
        Assert.Equal("hy-2026", check.KeyId);
        Assert.Equal("海盐县武原街道便民烟杂店", check.Fields["h"]);
    }

    [Fact]
    public void Should_fail_when_one_byte_of_the_payload_changes()
    {
        var (privatePem, _) = NewKey();
        var ring = Ring(("hy-2026", "330424", privatePem, null));
        var parts = SignedToken.Create(ring.ActiveFor("330424"), Fields).Split('.');
        var payload = Base64Url.DecodeFromChars(parts[0]);
        var index = Encoding.UTF8.GetString(payload).IndexOf("2031", StringComparison.Ordinal);
        payload[index + 3] = (byte)'2'; // valid to 2032 instead of 2031
        var altered = $"{Base64Url.EncodeToString(payload)}.{parts[1]}.{parts[2]}";

        var check = SignedToken.Check(ring, altered);

        Assert.Equal(Authenticity.Altered, check.Authenticity);
        Assert.False(Sm2.Verify(ring.Find("hy-2026")!.PublicKey, payload, Base64Url.DecodeFromChars(parts[2])));
    }

    [Fact]
    public void Should_still_verify_after_its_key_is_rotated_out()
    {
        var (oldPrivate, oldPublic) = NewKey();
        var (newPrivate, _) = NewKey();
        var before = Ring(("hy-2025", "330424", oldPrivate, null));
        var token = SignedToken.Create(before.ActiveFor("330424"), Fields);

        var after = Ring(("hy-2025", "330424", null, oldPublic), ("hy-2026", "330424", newPrivate, null));

        Assert.Equal("hy-2026", after.ActiveFor("330424").KeyId);
        Assert.Null(after.Find("hy-2025")!.PrivateKey);
        Assert.Equal(Authenticity.Genuine, SignedToken.Check(after, token).Authenticity);
        Assert.Equal(Authenticity.UnknownKey, SignedToken.Check(Ring(("hy-2026", "330424", newPrivate, null)), token).Authenticity);
    }

    [Fact]
    public void Should_not_verify_under_another_bureaus_key_id()
    {
        var (first, _) = NewKey();
        var (second, _) = NewKey();
        var ring = Ring(("hy-2026", "330424", first, null), ("js-2026", "330421", second, null));
        var parts = SignedToken.Create(ring.ActiveFor("330424"), Fields).Split('.');

        Assert.Equal(Authenticity.Altered, SignedToken.Check(ring, $"{parts[0]}.js-2026.{parts[2]}").Authenticity);
    }

    [Fact]
    public void Should_keep_a_generated_development_key_across_restarts()
    {
        var folder = TestData.NewFolder("certificate-tests");
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["DataDirectory"] = folder }).Build();
        var token = SignedToken.Create(new SigningKeyRing(configuration).ActiveFor("330424"), Fields);

        var restarted = new SigningKeyRing(configuration);

        Assert.Equal(Authenticity.Genuine, SignedToken.Check(restarted, token).Authenticity);
        Assert.StartsWith("dev-330424-", restarted.ActiveFor("330424").KeyId);
    }
}
