using System.Text.RegularExpressions;

namespace Permits.Shared.Domain;

/// <summary>De-identification (去标识化) for anything the public may see.</summary>
public static partial class PersonalData
{
    /// <summary>Keeps the family name (first character) and masks the rest: 张三丰 → 张**.</summary>
    public static string MaskName(string name)
    {
        var trimmed = name.Trim();
        if (trimmed.Length <= 1)
        {
            return "*";
        }

        var first = char.IsSurrogatePair(trimmed, 0) ? trimmed[..2] : trimmed[..1];
        return first + new string('*', Math.Max(1, new System.Globalization.StringInfo(trimmed).LengthInTextElements - 1));
    }

    /// <summary>True when the text holds something shaped like a resident ID number (GB 11643) or a phone number.</summary>
    public static bool ContainsIdentifier(string text) => IdNumber().IsMatch(text) || Phone().IsMatch(text);

    /// <summary>
    /// Masks resident ID numbers and phone numbers wherever they appear in free text: the last line of defence before
    /// publication, for senders that put one in a summary by mistake. 330424199001011234 → 330424********1234.
    /// </summary>
    public static string Scrub(string text)
    {
        if (!ContainsIdentifier(text))
        {
            return text;
        }

        var masked = IdNumber().Replace(text, m => m.Value[..6] + new string('*', 8) + m.Value[^4..]);
        return Phone().Replace(masked, m => m.Value[..3] + "****" + m.Value[^4..]);
    }

    // 18-character resident ID (17 digits + digit or X), not part of a longer digit run (a licence number is 12).
    [GeneratedRegex(@"(?<![0-9A-Za-z])[1-9]\d{5}(18|19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\d{3}[0-9Xx](?![0-9A-Za-z])")]
    private static partial Regex IdNumber();

    // Mainland mobile numbers (1[3-9] + 9 digits), with an optional +86 / 86 prefix, not inside a longer run of
    // letters or digits (a hash or a record id).
    [GeneratedRegex(@"(?<![0-9A-Za-z])(\+?86[- ]?)?1[3-9]\d{9}(?![0-9A-Za-z])")]
    private static partial Regex Phone();
}
