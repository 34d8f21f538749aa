namespace Permits.Shared.Domain;

/// <summary>De-identification (去标识化) for anything the public may see.</summary>
public static class PersonalData
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
}
