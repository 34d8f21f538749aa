using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Permits.Identity.Server;

/// <summary>
/// The keys tokens are signed and codes encrypted with. From configuration (a secret in production):
/// <c>Identity:SigningKey:KeyId</c> + <c>:Pem</c> (RSA private key) signs; <c>Identity:PreviousSigningKey:*</c>, an older
/// key being rotated out, is still published so tokens it signed keep validating until they expire;
/// <c>Identity:EncryptionKey</c> (base64, 32 bytes) protects authorization codes. With none configured (development),
/// keys are generated once and kept under <c>{DataDirectory}/identity-keys/</c> so restarts keep sessions and tokens valid.
/// In Production nothing is generated: every replica must sign with the same configured key, so a missing one stops
/// the start, naming the setting.
/// </summary>
public sealed record IdentityKeys(RsaSecurityKey Signing, RsaSecurityKey? Previous, SymmetricSecurityKey Encryption)
{
    public static IdentityKeys Load(IConfiguration configuration, bool production = false)
    {
        if (production)
        {
            var missing = new[] { "Identity:SigningKey:Pem", "Identity:SigningKey:KeyId", "Identity:EncryptionKey" }
                .Where(setting => string.IsNullOrWhiteSpace(configuration[setting]))
                .ToList();
            if (missing.Count > 0)
            {
                throw new InvalidOperationException(
                    $"In Production Identity does not generate its keys (each replica would make its own): set {string.Join(", ", missing)} " +
                    "(Identity__SigningKey__Pem, Identity__SigningKey__KeyId, Identity__EncryptionKey from a Secret).");
            }
        }

        var folder = Path.Combine(configuration["DataDirectory"] ?? Path.Combine(AppContext.BaseDirectory, "data"), "identity-keys");
        var signing = ReadRsa(configuration.GetSection("Identity:SigningKey"))
                      ?? LoadOrCreateRsa(folder);
        var previous = ReadRsa(configuration.GetSection("Identity:PreviousSigningKey"));
        var encryption = configuration["Identity:EncryptionKey"] is { Length: > 0 } configured
            ? Convert.FromBase64String(configured)
            : LoadOrCreateSecret(Path.Combine(folder, "encryption.key"));
        if (encryption.Length != 32)
        {
            throw new InvalidOperationException("Identity:EncryptionKey must be 32 bytes, base64-encoded.");
        }

        return new IdentityKeys(signing, previous, new SymmetricSecurityKey(encryption));
    }

    private static RsaSecurityKey? ReadRsa(IConfigurationSection section)
    {
        var pem = section["Pem"];
        if (string.IsNullOrWhiteSpace(pem))
        {
            return null;
        }

        var keyId = section["KeyId"];
        if (string.IsNullOrWhiteSpace(keyId))
        {
            throw new InvalidOperationException($"{section.Path}:KeyId is required beside {section.Path}:Pem.");
        }

        var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        return new RsaSecurityKey(rsa) { KeyId = keyId };
    }

    private static RsaSecurityKey LoadOrCreateRsa(string folder)
    {
        var path = Path.Combine(folder, "signing.pem");
        var idPath = Path.Combine(folder, "signing.kid");
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(folder);
            using var created = RSA.Create(2048);
            WriteOnce(idPath, "dev-" + DateTimeOffset.UtcNow.ToString("yyyyMMddHHmmss"));
            WriteOnce(path, created.ExportPkcs8PrivateKeyPem());
        }

        var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(path));
        return new RsaSecurityKey(rsa) { KeyId = File.ReadAllText(idPath).Trim() };
    }

    private static byte[] LoadOrCreateSecret(string path)
    {
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            WriteOnce(path, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        }

        return Convert.FromBase64String(File.ReadAllText(path).Trim());
    }

    /// <summary>Two processes starting together on one folder: the first writer wins, the other reads its file.</summary>
    private static void WriteOnce(string path, string content)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            using var writer = new StreamWriter(stream);
            writer.Write(content);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Someone else created it first.
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
