using System.Collections.Concurrent;
using Org.BouncyCastle.Crypto.Parameters;

namespace Permits.Certificate.Signing;

/// <summary>One signing key: a bureau's current key (with its private half) or a retired one kept to verify old licences.</summary>
public sealed record SigningKey(string KeyId, string Bureau, ECPublicKeyParameters PublicKey, ECPrivateKeyParameters? PrivateKey);

/// <summary>
/// The issuing keys, per issuing bureau (county code, or <c>*</c> for any). Configuration, per entry of
/// <c>Certificate:Signing:Keys</c>: <c>KeyId</c>, <c>Bureau</c>, and one of <c>PrivateKeyPem</c>, <c>PrivateKeyFile</c>
/// (an active key) or <c>PublicKeyPem</c>, <c>PublicKeyFile</c> (a retired key: verifies, never signs). Rotation: add
/// the new key and turn the old entry into its public key. A bureau without a configured key gets a development key,
/// generated once and kept under <c>{DataDirectory}/certificate-keys</c>; all keys found there stay verifiable.
/// </summary>
public sealed class SigningKeyRing
{
    private readonly ConcurrentDictionary<string, SigningKey> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SigningKey> _activeByBureau = new(StringComparer.Ordinal);
    private readonly string _devFolder;
    private readonly Dictionary<string, SigningKey> _devActive = new(StringComparer.Ordinal);
    private readonly Lock _devLock = new();

    public SigningKeyRing(IConfiguration configuration)
    {
        _devFolder = Path.Combine(
            configuration["DataDirectory"] ?? Path.Combine(AppContext.BaseDirectory, "data"), "certificate-keys");
        foreach (var entry in configuration.GetSection("Certificate:Signing:Keys").GetChildren())
        {
            var keyId = entry["KeyId"] ?? throw new InvalidOperationException($"{entry.Path}:KeyId is missing.");
            if (keyId.Contains('.') || keyId.Length is 0 or > 60)
            {
                throw new InvalidOperationException($"{entry.Path}:KeyId '{keyId}' must be 1-60 characters without '.'.");
            }

            var bureau = entry["Bureau"] ?? "*";
            var privatePem = entry["PrivateKeyPem"] ?? ReadFile(entry["PrivateKeyFile"]);
            SigningKey key;
            if (privatePem is not null)
            {
                var privateKey = Sm2.ReadPrivatePem(privatePem);
                key = new SigningKey(keyId, bureau, Sm2.PublicOf(privateKey), privateKey);
                if (!_activeByBureau.TryAdd(bureau, key))
                {
                    throw new InvalidOperationException(
                        $"Bureau {bureau} has two signing keys with private halves; keep only the public key of the retired one.");
                }
            }
            else
            {
                var publicPem = entry["PublicKeyPem"] ?? ReadFile(entry["PublicKeyFile"])
                    ?? throw new InvalidOperationException($"{entry.Path} needs PrivateKeyPem/PrivateKeyFile or PublicKeyPem/PublicKeyFile.");
                key = new SigningKey(keyId, bureau, Sm2.ReadPublicPem(publicPem), null);
            }

            if (!_byId.TryAdd(keyId, key))
            {
                throw new InvalidOperationException($"Signing key id {keyId} is configured twice.");
            }
        }

        LoadDevelopmentKeys();
    }

    /// <summary>Every key that can verify: active and retired.</summary>
    public IReadOnlyCollection<SigningKey> All => _byId.Values.ToArray();

    public SigningKey? Find(string keyId) => _byId.GetValueOrDefault(keyId);

    /// <summary>The key the bureau signs with now.</summary>
    public SigningKey ActiveFor(string bureau)
    {
        if (_activeByBureau.TryGetValue(bureau, out var key) || _activeByBureau.TryGetValue("*", out key))
        {
            return key;
        }

        lock (_devLock)
        {
            if (_devActive.TryGetValue(bureau, out key))
            {
                return key;
            }

            var path = Path.Combine(_devFolder, $"{bureau}.pem");
            if (!File.Exists(path))
            {
                Directory.CreateDirectory(_devFolder);
                var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
                File.WriteAllText(temporary, Sm2.ToPrivatePem((ECPrivateKeyParameters)Sm2.Generate().Private));
                try
                {
                    File.Move(temporary, path, overwrite: false);
                }
                catch (IOException) when (File.Exists(path))
                {
                    // Another instance sharing the data directory made the key first: use theirs.
                    File.Delete(temporary);
                }
            }

            key = Remember(bureau, Sm2.ReadPrivatePem(File.ReadAllText(path)));
            _devActive[bureau] = key;
            return key;
        }
    }

    private void LoadDevelopmentKeys()
    {
        if (!Directory.Exists(_devFolder))
        {
            return;
        }

        foreach (var path in Directory.EnumerateFiles(_devFolder, "*.pem"))
        {
            Remember(Path.GetFileNameWithoutExtension(path), Sm2.ReadPrivatePem(File.ReadAllText(path)));
        }
    }

    private SigningKey Remember(string bureau, ECPrivateKeyParameters privateKey)
    {
        var publicKey = Sm2.PublicOf(privateKey);
        var key = new SigningKey($"dev-{bureau}-{Sm2.Fingerprint(publicKey)}", bureau, publicKey, privateKey);
        return _byId.GetOrAdd(key.KeyId, key);
    }

    private static string? ReadFile(string? path) => string.IsNullOrWhiteSpace(path) ? null : File.ReadAllText(path);
}
