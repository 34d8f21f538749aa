using SkiaSharp;

namespace Permits.Certificate.Documents;

/// <summary>
/// The CJK TrueType font embedded (subset) in licence PDFs. Config <c>Certificate:FontFile</c>; otherwise the first of
/// the Debian fonts found. A missing font fails the PDF call with the package to install, never the service.
/// </summary>
public static class LicenceFont
{
    public const string DebianPackage = "fonts-arphic-gbsn00lp";

    private static readonly string[] Candidates =
    [
        "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf",
        "/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf",
    ];

    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, SKTypeface> Loaded = new(StringComparer.Ordinal);

    public static SKTypeface Load(IConfiguration configuration)
    {
        lock (Gate)
        {
            var configured = configuration["Certificate:FontFile"];
            var path = !string.IsNullOrWhiteSpace(configured) ? configured : Candidates.FirstOrDefault(File.Exists);
            if (path is not null && Loaded.TryGetValue(path, out var known))
            {
                return known;
            }

            var typeface = path is not null && File.Exists(path) ? SKTypeface.FromFile(path) : null;
            if (typeface is null || typeface.GetGlyph('证') == 0)
            {
                typeface?.Dispose();
                throw new FontMissingException(
                    $"没有可用的中文字体，无法生成许可证 PDF：请安装 Debian 软件包 {DebianPackage}（apt-get install {DebianPackage}），" +
                    "或用 Certificate:FontFile 指定含中文字形的 TrueType 字体文件" +
                    (string.IsNullOrWhiteSpace(configured) ? "。" : $"（当前配置为 {configured}）。"));
            }

            Loaded[path!] = typeface;
            return typeface;
        }
    }
}

public sealed class FontMissingException(string message) : InvalidOperationException(message);
