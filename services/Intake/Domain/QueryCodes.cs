using System.Security.Cryptography;
using System.Text;

namespace Permits.Intake.Domain;

/// <summary>
/// The 查询码 that opens an application's public progress view together with its number: application numbers are
/// sequential and can be walked, so the number alone opens nothing. Eight characters from 32 unambiguous ones (40 bits),
/// shown once to the applicant; only a hash salted with the application id is stored.
/// </summary>
public static class QueryCodes
{
    private const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    /// <summary>A new code, grouped for reading aloud: K7QM-3XWP.</summary>
    public static string New()
    {
        Span<byte> random = stackalloc byte[8];
        RandomNumberGenerator.Fill(random);
        var chars = new char[9];
        for (int i = 0, j = 0; i < random.Length; i++, j++)
        {
            if (i == 4)
            {
                chars[j++] = '-';
            }

            chars[j] = Alphabet[random[i] % Alphabet.Length]; // 32 divides 256: no bias
        }

        return new string(chars);
    }

    /// <summary>Lower-case hex SHA-256 of the application id and the code as typed, without separators or case.</summary>
    public static string Hash(Guid applicationId, string code) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(applicationId.ToString("N") + ":" + Normalize(code))));

    /// <summary>
    /// Whether what the caller typed opens the application: its 查询码, or the last four digits of its contact phone.
    /// </summary>
    public static bool Opens(Guid applicationId, string? storedHash, string contactPhone, string typed)
    {
        var code = Normalize(typed);
        if (code.Length == 4 && code.All(char.IsAsciiDigit))
        {
            var digits = new string(contactPhone.Where(char.IsAsciiDigit).ToArray());
            return digits.Length >= 4 && FixedTimeEquals(digits[^4..], code);
        }

        return code.Length == 8 && storedHash is not null && FixedTimeEquals(Hash(applicationId, code), storedHash);
    }

    private static string Normalize(string code) =>
        new(code.Where(char.IsAsciiLetterOrDigit).Select(char.ToUpperInvariant).ToArray());

    private static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}
