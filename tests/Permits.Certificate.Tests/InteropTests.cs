using System.Text;
using Permits.Certificate.Signing;

namespace Permits.Certificate.Tests;

/// <summary>Keys and signatures made by OpenSSL 3 (genpkey -algorithm SM2; pkeyutl -sign -rawin -digest sm3 -pkeyopt distid:1234567812345678): a throwaway test key.</summary>
public sealed class When_keys_and_signatures_come_from_openssl
{
    private const string PrivatePem = """
        -----BEGIN PRIVATE KEY-----
        MIGHAgEAMBMGByqGSM49AgEGCCqBHM9VAYItBG0wawIBAQQghvEmcy3XpiRBuzoe
        kBwNvrz2tbHTubDntzsGAFuW5e+hRANCAASR64lr2alUst1rZxUZZt2YbDdkkmfd
        MU7Oi9dfEblh6I4DskjHRyWOOtyHY8koCQ0+WWWj/OahUTZ2tUcqbPZf
        -----END PRIVATE KEY-----
        """;

    private const string PublicPem = """
        -----BEGIN PUBLIC KEY-----
        MFkwEwYHKoZIzj0CAQYIKoEcz1UBgi0DQgAEkeuJa9mpVLLda2cVGWbdmGw3ZJJn
        3TFOzovXXxG5YeiOA7JIx0cljjrch2PJKAkNPlllo/zmoVE2drVHKmz2Xw==
        -----END PUBLIC KEY-----
        """;

    private const string OpenSslSignature =
        "MEYCIQC/S/tsGMNzRnLa2LcD5crbO7iC2q/kv5YErNBFAc0BowIhAOz+T8vvVXS0N/HZqVYxF1XsjftjUWhlbOk+pR60p4l0";

    private static readonly byte[] Message = Encoding.UTF8.GetBytes("""{"n":"330424100001"}""");

    [Fact]
    public void Should_read_an_openssl_key_pair_as_one_key()
    {
        var derived = Sm2.PublicOf(Sm2.ReadPrivatePem(PrivatePem));

        Assert.Equal(Sm2.ReadPublicPem(PublicPem).Q, derived.Q);
        Assert.Equal(Sm2.ToPublicPem(derived).Replace("\n", ""), PublicPem.Replace("\n", "").Replace("\r", ""));
    }

    [Fact]
    public void Should_verify_an_openssl_sm2_signature_and_reject_it_for_another_message()
    {
        var key = Sm2.ReadPublicPem(PublicPem);
        var signature = Convert.FromBase64String(OpenSslSignature);

        Assert.True(Sm2.Verify(key, Message, signature));
        Assert.False(Sm2.Verify(key, Encoding.UTF8.GetBytes("""{"n":"330424100002"}"""), signature));
    }
}
