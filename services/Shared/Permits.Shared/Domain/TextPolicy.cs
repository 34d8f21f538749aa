using System.Text;

namespace Permits.Shared.Domain;

/// <summary>
/// The one input policy for text a person or platform sends us. A NUL breaks PostgreSQL (500 instead of an answer);
/// other control characters, bidi overrides and invisible characters let a name or file name read differently from
/// what is stored (Trojan Source style spoofing in registers and notices), so they are refused, never stripped.
/// </summary>
public static class TextPolicy
{
    /// <summary>How a field is written: one line (names, numbers, codes, file names) or free text with line breaks.</summary>
    public enum Kind
    {
        SingleLine,
        MultiLine,
    }

    // Free-text fields (reasons, opinions, notes, notices…) may carry TAB, LF and CR; every other field is one line.
    private static readonly string[] MultiLineSuffixes =
    [
        "reason", "note", "notes", "notice", "description", "opinion", "findings", "comment", "comments", "summary",
        "overview", "matters", "problems", "recommendation", "message", "detail", "details", "content", "text",
        "remarks", "answer", "question", "scope", "pem", "json",
    ];

    /// <summary>The kind of a field by its proto name (snake_case): free text when its last word says so.</summary>
    public static Kind KindOf(string fieldName)
    {
        var lastWord = fieldName[(fieldName.LastIndexOf('_') + 1)..];
        return MultiLineSuffixes.Contains(lastWord, StringComparer.Ordinal) ? Kind.MultiLine : Kind.SingleLine;
    }

    /// <summary>Null when the text is acceptable, otherwise the message to show next to the field.</summary>
    public static string? Check(string text, Kind kind)
    {
        foreach (var rune in text.EnumerateRunes())
        {
            if (!IsAllowed(rune, kind))
            {
                return $"含有不允许的字符 U+{rune.Value:X4}（{Describe(rune)}），请删除后重新填写";
            }
        }

        return null;
    }

    private static bool IsAllowed(Rune rune, Kind kind)
    {
        var c = rune.Value;
        if (c is '\t' or '\n' or '\r')
        {
            return kind == Kind.MultiLine;
        }

        if (c < 0x20 || c is >= 0x7F and <= 0x9F)
        {
            return false;  // C0 (NUL included), DEL and C1
        }

        if (c is >= 0x202A and <= 0x202E or >= 0x2066 and <= 0x2069)
        {
            return false;  // bidi embeddings, overrides and isolates: text that displays in another order than stored
        }

        if (c is 0x200B or 0x200E or 0x200F or >= 0x2060 and <= 0x2064 or 0xFEFF or 0x00AD or 0x061C)
        {
            return false;  // invisible: zero-width space, bidi marks, word joiner, BOM, soft hyphen
        }

        if (c is 0x200C or 0x200D)
        {
            return kind == Kind.MultiLine;  // zero-width (non-)joiners belong in emoji and scripts, not names or codes
        }

        // Noncharacters U+FFFE/U+FFFF and their copies in every plane. (A lone surrogate never gets here: protobuf
        // refuses invalid UTF-8, and EnumerateRunes reads one as U+FFFD.)
        return (c & 0xFFFE) != 0xFFFE;
    }

    private static string Describe(Rune rune) => rune.Value switch
    {
        0 => "空字符 NUL",
        < 0x20 or (>= 0x7F and <= 0x9F) => "控制字符",
        (>= 0x202A and <= 0x202E) or (>= 0x2066 and <= 0x2069) => "双向文本控制符",
        _ => "不可见字符",
    };
}
