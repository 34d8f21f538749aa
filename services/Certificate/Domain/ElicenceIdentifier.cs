namespace Permits.Certificate.Domain;

/// <summary>
/// 电子证照标识 in the GB/T 36904 form <c>1.2.156.3005.2.{type code}.{issuer credit code}.{serial}.{version}.{check}</c>.
/// The check character is ISO 7064 MOD 37,36 over the alphanumeric characters before it (dots are separators, not
/// part of the alphabet 0-9A-Z).
/// </summary>
public static class ElicenceIdentifier
{
    public const string Prefix = "1.2.156.3005.2";
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

    public static string Create(string typeCode, string issuerCreditCode, string serial, int version)
    {
        if (version is < 1 or > 999)
        {
            throw new ArgumentOutOfRangeException(nameof(version), version, "An e-licence version has three digits (001-999).");
        }

        var body = $"{Prefix}.{typeCode}.{issuerCreditCode}.{serial}.{version:D3}";
        return $"{body}.{CheckCharacter(body)}";
    }

    /// <summary>ISO 7064 hybrid system MOD 37,36 (as ISAN uses): the character that makes the whole string check.</summary>
    public static char CheckCharacter(string text)
    {
        var p = 36;
        foreach (var c in text.ToUpperInvariant())
        {
            if (c == '.')
            {
                continue;
            }

            var value = Alphabet.IndexOf(c);
            if (value < 0)
            {
                throw new ArgumentException($"'{c}' is not in the alphabet 0-9A-Z.", nameof(text));
            }

            var s = (p + value) % 36;
            p = (s == 0 ? 36 : s) * 2 % 37;
        }

        return Alphabet[(37 - p) % 36];
    }

    public static bool IsValid(string identifier)
    {
        var dot = identifier.LastIndexOf('.');
        if (!identifier.StartsWith(Prefix + ".", StringComparison.Ordinal) || dot < 0 || dot != identifier.Length - 2)
        {
            return false;
        }

        try
        {
            return CheckCharacter(identifier[..dot]) == char.ToUpperInvariant(identifier[^1]);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
