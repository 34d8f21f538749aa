using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using Org.BouncyCastle.Asn1.GM;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace Permits.Certificate.Signing;

/// <summary>SM2 signatures over SM3 (GB/T 32918, GB/T 35276) with the default signer id 1234567812345678.</summary>
public static class Sm2
{
    private static readonly byte[] SignerId = Encoding.ASCII.GetBytes("1234567812345678");

    /// <summary>
    /// The curve with BouncyCastle's SM2-specific field arithmetic (CustomNamedCurves): GMNamedCurves' generic curve
    /// computes with BigInteger and made a signature about eight times slower. Same curve, same keys and signatures.
    /// </summary>
    public static ECDomainParameters Domain { get; } = new ECNamedDomainParameters(
        GMObjectIdentifiers.sm2p256v1, CustomNamedCurves.GetByOid(GMObjectIdentifiers.sm2p256v1));

    public static AsymmetricCipherKeyPair Generate()
    {
        var generator = new ECKeyPairGenerator();
        generator.Init(new ECKeyGenerationParameters(Domain, new SecureRandom()));
        return generator.GenerateKeyPair();
    }

    /// <summary>
    /// Signers initialised for a key, each used by one caller at a time. Initialising one derives the public point from
    /// the private key (a scalar multiplication, as costly as the signature's own) and hashes it into Z: once per key,
    /// not per signature. A signer that throws is not returned.
    /// </summary>
    private static readonly ConditionalWeakTable<ECPrivateKeyParameters, ConcurrentBag<SM2Signer>> Signers = new();

    public static byte[] Sign(ECPrivateKeyParameters key, byte[] payload)
    {
        var idle = Signers.GetValue(key, _ => []);
        if (!idle.TryTake(out var signer))
        {
            signer = new SM2Signer(new SM3Digest());
            signer.Init(true, new ParametersWithID(new ParametersWithRandom(key, new SecureRandom()), SignerId));
        }

        // Reset puts Z back at the start of the digest, which the previous signature's final hash emptied.
        signer.Reset();
        signer.BlockUpdate(payload, 0, payload.Length);
        var signature = signer.GenerateSignature();
        idle.Add(signer);
        return signature;
    }

    public static bool Verify(ECPublicKeyParameters key, byte[] payload, byte[] signature)
    {
        var signer = new SM2Signer(new SM3Digest());
        signer.Init(false, new ParametersWithID(key, SignerId));
        signer.BlockUpdate(payload, 0, payload.Length);
        try
        {
            return signer.VerifySignature(signature);
        }
        catch (Exception error) when (error is ArgumentException or InvalidOperationException or IOException)
        {
            return false;
        }
    }

    public static ECPublicKeyParameters PublicOf(ECPrivateKeyParameters key) =>
        new(Domain.G.Multiply(key.D).Normalize(), Domain);

    public static string ToPrivatePem(ECPrivateKeyParameters key) =>
        Pem("PRIVATE KEY", PrivateKeyInfoFactory.CreatePrivateKeyInfo(key).GetDerEncoded());

    public static string ToPublicPem(ECPublicKeyParameters key) =>
        Pem("PUBLIC KEY", SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(key).GetDerEncoded());

    public static ECPrivateKeyParameters ReadPrivatePem(string pem)
    {
        var info = PrivateKeyInfo.GetInstance(Unpem(pem, "PRIVATE KEY"));
        var key = (ECPrivateKeyParameters)PrivateKeyFactory.CreateKey(info);
        return new ECPrivateKeyParameters(key.D, Domain);
    }

    public static ECPublicKeyParameters ReadPublicPem(string pem)
    {
        var info = SubjectPublicKeyInfo.GetInstance(Unpem(pem, "PUBLIC KEY"));
        var key = (ECPublicKeyParameters)PublicKeyFactory.CreateKey(info);
        return new ECPublicKeyParameters(key.Q, Domain);
    }

    /// <summary>A short stable name for a public key: the first 8 bytes of its SM3 hash, hex.</summary>
    public static string Fingerprint(ECPublicKeyParameters key)
    {
        var encoded = key.Q.GetEncoded(false);
        var digest = new SM3Digest();
        digest.BlockUpdate(encoded, 0, encoded.Length);
        var hash = new byte[digest.GetDigestSize()];
        digest.DoFinal(hash, 0);
        return Convert.ToHexStringLower(hash, 0, 8);
    }

    private static string Pem(string label, byte[] der)
    {
        var base64 = Convert.ToBase64String(der);
        var lines = Enumerable.Range(0, (base64.Length + 63) / 64).Select(i => base64.Substring(i * 64, Math.Min(64, base64.Length - i * 64)));
        return $"-----BEGIN {label}-----\n{string.Join('\n', lines)}\n-----END {label}-----\n";
    }

    private static byte[] Unpem(string pem, string label)
    {
        var begin = $"-----BEGIN {label}-----";
        var end = $"-----END {label}-----";
        var start = pem.IndexOf(begin, StringComparison.Ordinal);
        var stop = pem.IndexOf(end, StringComparison.Ordinal);
        if (start < 0 || stop < start)
        {
            throw new FormatException($"Expected a PEM block '{label}' (PKCS#8 / SubjectPublicKeyInfo, SM2 curve).");
        }

        return Convert.FromBase64String(pem[(start + begin.Length)..stop]);
    }
}
