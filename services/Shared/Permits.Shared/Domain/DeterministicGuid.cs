using System.Security.Cryptography;
using System.Text;

namespace Permits.Shared.Domain;

/// <summary>A Guid derived from stable parts (a case and a step), so the same step always yields the same id.</summary>
public static class DeterministicGuid
{
    public static Guid Create(params object[] parts)
    {
        var text = string.Join("|", parts.Select(p => Convert.ToString(p, System.Globalization.CultureInfo.InvariantCulture)));
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50); // version 5 layout, SHA-256 truncated
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16]);
    }
}
