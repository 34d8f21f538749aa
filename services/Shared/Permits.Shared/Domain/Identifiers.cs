using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Permits.Shared.Domain;

/// <summary>
/// Checksums of the identifiers people type (统一社会信用代码 GB 32100, 居民身份证号码 GB 11643), so a typo is caught at the
/// field, not at the bureau: Intake's form and Disclosure's information requests.
/// </summary>
public static class Identifiers
{
    private const string CreditCodeAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static readonly int[] CreditCodeWeights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    private static readonly int[] IdNumberWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string IdNumberCheck = "10X98765432";

    /// <summary>统一社会信用代码 per GB 32100-2015.</summary>
    public static bool IsValidCreditCode(string code)
    {
        if (code.Length != 18)
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            var value = CreditCodeAlphabet.IndexOf(code[i]);
            if (value < 0)
            {
                return false;
            }

            sum += value * CreditCodeWeights[i];
        }

        var check = 31 - (sum % 31);
        return code[17] == CreditCodeAlphabet[check == 31 ? 0 : check];
    }

    // The province-level codes of GB/T 2260 (11 北京 … 65 新疆, 71 台湾, 81 香港, 82 澳门): the first two digits of an
    // address code. Hong Kong, Macao and Taiwan residents' 居住证 numbers use 81, 82 and 83.
    private static readonly HashSet<string> ProvinceCodes =
    [
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42", "43", "44",
        "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82", "83",
    ];

    /// <summary>
    /// 居民身份证号码 per GB 11643-1999: 18 characters, an address code in a real province, a birth date that has
    /// happened (on or before <paramref name="todayInChina"/>), and the MOD 11-2 check character.
    /// </summary>
    public static bool IsValidIdNumber(string id, DateOnly todayInChina)
    {
        if (id.Length != 18 || !id[..17].All(char.IsAsciiDigit))
        {
            return false;
        }

        if (!ProvinceCodes.Contains(id[..2]) || id[2..6] == "0000" && id[..2] is not ("71" or "81" or "82" or "83"))
        {
            return false;  // 000000 or 990000 is no place; 330000 is a province, never a person's address code
        }

        if (!DateOnly.TryParseExact(id.Substring(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birth)
            || birth.Year < 1900 || birth > todayInChina)
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (id[i] - '0') * IdNumberWeights[i];
        }

        return char.ToUpperInvariant(id[17]) == IdNumberCheck[sum % 11];
    }

    /// <summary>
    /// An identifier as compared: whitespace (also full-width) removed, letters upper-case, so a 身份证号 ending in x
    /// and one ending in X, or a 信用代码 typed with spaces, are the same identifier.
    /// </summary>
    public static string Normalize(string? value) =>
        string.Concat((value ?? "").Where(c => !char.IsWhiteSpace(c))).ToUpperInvariant();

    /// <summary>Two identifiers are the same once normalised; an empty one matches nothing.</summary>
    public static bool SameIdentifier(string? a, string? b)
    {
        var left = Normalize(a);
        return left.Length > 0 && string.Equals(left, Normalize(b), StringComparison.Ordinal);
    }

    /// <summary>
    /// The digest Certificate keeps of a holder's 身份证号 (SHA-256, hex) instead of the number, so a licence's holder
    /// can be recognised at a later request (补办, 注销, ...) while the number itself stays with Intake. It is a
    /// pseudonym, not anonymity: ID numbers are few enough to enumerate, so the digest is personal data too and
    /// never leaves the services that hold it.
    /// </summary>
    public static string? HolderIdDigest(string? idNumber)
    {
        var normalized = Normalize(idNumber);
        return normalized.Length == 0
            ? null
            : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("permits:holder-id:v1:" + normalized)));
    }
}
