using System.Buffers.Text;
using System.Text.Json;
using Permits.Certificate.Domain;

namespace Permits.Certificate.Signing;

public enum Authenticity
{
    Genuine,
    Altered,
    UnknownKey,
    Malformed,
}

/// <summary>What a token says once its signature has been checked.</summary>
public sealed record TokenCheck(Authenticity Authenticity, string? KeyId, IReadOnlyDictionary<string, string> Fields);

/// <summary>
/// The compact signed token a licence's QR code carries: <c>base64url(payload) "." keyId "." base64url(signature)</c>,
/// the payload being canonical JSON of the minimum public fields, the signature SM2/SM3 over exactly those bytes.
/// </summary>
public static class SignedToken
{
    public static string Create(SigningKey key, IReadOnlyDictionary<string, string> fields)
    {
        var payload = CanonicalJson.Serialize(fields);
        var signature = Sm2.Sign(key.PrivateKey ?? throw new InvalidOperationException($"Key {key.KeyId} is retired: it cannot sign."), payload);
        return $"{Base64Url.EncodeToString(payload)}.{key.KeyId}.{Base64Url.EncodeToString(signature)}";
    }

    public static TokenCheck Check(SigningKeyRing keys, string token)
    {
        var empty = new Dictionary<string, string>();
        var parts = token.Trim().Split('.');
        if (parts.Length != 3)
        {
            return new TokenCheck(Authenticity.Malformed, null, empty);
        }

        byte[] payload, signature;
        try
        {
            payload = Base64Url.DecodeFromChars(parts[0]);
            signature = Base64Url.DecodeFromChars(parts[2]);
        }
        catch (FormatException)
        {
            return new TokenCheck(Authenticity.Malformed, parts[1], empty);
        }

        var fields = ReadFields(payload);
        var key = keys.Find(parts[1]);
        if (key is null)
        {
            return new TokenCheck(Authenticity.UnknownKey, parts[1], fields ?? empty);
        }

        if (!Sm2.Verify(key.PublicKey, payload, signature))
        {
            return new TokenCheck(Authenticity.Altered, key.KeyId, fields ?? empty);
        }

        return fields is null
            ? new TokenCheck(Authenticity.Malformed, key.KeyId, empty)
            : new TokenCheck(Authenticity.Genuine, key.KeyId, fields);
    }

    private static Dictionary<string, string>? ReadFields(byte[] payload)
    {
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(payload);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
