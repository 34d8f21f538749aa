using SkiaSharp;

namespace Permits.Documents;

/// <summary>
/// The CJK TrueType font a PDF embeds: the configured file, otherwise the first of the Debian fonts found. Loaded once
/// per path. A missing font fails the PDF call with the package to install, never the service.
/// </summary>
public static class CjkFont
{
    public const string DebianPackage = "fonts-arphic-gbsn00lp";

    private static readonly string[] Candidates =
    [
        "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf",
        "/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf",
    ];

    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, PdfTypeface> Loaded = new(StringComparer.Ordinal);

    /// <param name="configured">The configured font file, if any.</param>
    /// <param name="configKey">The configuration key that names it, for the message when it is missing.</param>
    /// <param name="document">What cannot be printed without it (Chinese, e.g. 许可证), for the same message.</param>
    /// <param name="probe">A character the document needs, to reject a font without Chinese glyphs.</param>
    public static PdfTypeface Load(string? configured, string configKey, string document, char probe)
    {
        lock (Gate)
        {
            var path = !string.IsNullOrWhiteSpace(configured) ? configured : Candidates.FirstOrDefault(File.Exists);
            if (path is not null && Loaded.TryGetValue(path, out var known))
            {
                return known;
            }

            // The file mapped once, for the typeface and the subsetter both (see TrueTypeSubset.TryRead).
            var data = path is not null && File.Exists(path) ? SKData.Create(path) : null;
            var typeface = data is null ? null : SKTypeface.FromData(data);
            if (typeface is null || typeface.GetGlyph(probe) == 0)
            {
                typeface?.Dispose();
                data?.Dispose();
                throw new FontMissingException(
                    $"没有可用的中文字体，无法生成{document} PDF：请安装 Debian 软件包 {DebianPackage}（apt-get install {DebianPackage}），" +
                    $"或用 {configKey} 指定含中文字形的 TrueType 字体文件" +
                    (string.IsNullOrWhiteSpace(configured) ? "。" : $"（当前配置为 {configured}）。"));
            }

            var loaded = new PdfTypeface(typeface, TrueTypeSubset.TryRead(data!));
            Loaded[path!] = loaded;
            return loaded;
        }
    }
}

/// <summary>The whole font (to map text to glyph ids) and, when it is plain TrueType, the way to subset it.</summary>
public sealed record PdfTypeface(SKTypeface Typeface, TrueTypeSubset? Subsetter)
{
    /// <summary>
    /// A typeface holding only the glyphs of <paramref name="texts"/>, to be disposed by the caller; the whole font when
    /// it cannot be subset (then <c>Owned</c> is false and the caller must not dispose it).
    /// </summary>
    public (SKTypeface Typeface, bool Owned) For(IEnumerable<string> texts)
    {
        if (Subsetter is null)
        {
            return (Typeface, false);
        }

        var characters = new Dictionary<int, ushort>();
        foreach (var text in texts)
        {
            foreach (var rune in text.EnumerateRunes())
            {
                if (!characters.ContainsKey(rune.Value))
                {
                    characters[rune.Value] = Typeface.GetGlyph(rune.Value);
                }
            }
        }

        using var data = Subsetter.Keep(characters);
        var subset = SKTypeface.FromData(data);
        return subset is null ? (Typeface, false) : (subset, true);
    }
}

public sealed class FontMissingException(string message) : InvalidOperationException(message);
