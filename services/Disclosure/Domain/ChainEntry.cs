using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Permits.Disclosure.Domain;

/// <summary>
/// What the hash chain covers for one record. The canonical encoding is a fixed field order, each field as a 4-byte
/// big-endian length and its UTF-8 bytes (so no two records encode alike), times as Unix milliseconds (every
/// database keeps those exactly), public fields sorted by key; the previous record's hash comes last.
/// </summary>
public sealed record ChainEntry(
    long ChainSequence,
    Guid RecordId,
    string Kind,
    Guid ApplicationId,
    string ApplicationNumber,
    string CountyCode,
    string Authority,
    DateTimeOffset OccurredAt,
    DateTimeOffset RecordedAt,
    string Summary,
    IReadOnlyDictionary<string, string> PublicFields,
    Guid? Supersedes)
{
    public const string EncodingVersion = "permits.disclosure.chain.v1";

    public string Hash(string previousHash)
    {
        using var buffer = new MemoryStream();
        Write(buffer, EncodingVersion);
        Write(buffer, ChainSequence.ToString(CultureInfo.InvariantCulture));
        Write(buffer, RecordId.ToString("D"));
        Write(buffer, Kind);
        Write(buffer, ApplicationId.ToString("D"));
        Write(buffer, ApplicationNumber);
        Write(buffer, CountyCode);
        Write(buffer, Authority);
        Write(buffer, OccurredAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        Write(buffer, RecordedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        Write(buffer, Summary);
        Write(buffer, PublicFields.Count.ToString(CultureInfo.InvariantCulture));
        foreach (var (key, value) in PublicFields.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            Write(buffer, key);
            Write(buffer, value);
        }

        Write(buffer, Supersedes?.ToString("D") ?? "");
        Write(buffer, previousHash);
        return Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
    }

    /// <summary>Times are kept to the millisecond, so what is hashed is exactly what every database gives back.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset time) =>
        DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds());

    private static void Write(Stream stream, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        stream.Write(length);
        stream.Write(bytes);
    }
}
