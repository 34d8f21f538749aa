using SkiaSharp;

namespace Permits.Certificate.Documents;

/// <summary>
/// A formal document as the national forms set it (A4 portrait, Chinese): the bureau and the title centred, the number
/// under them above a red rule, the addressee, the body (paragraphs indented two characters, or the form's table), then
/// the bureau and the date at the right under a red circular seal marked 电子印章, and at the foot
/// the QR code carrying the signed token with the verification line. Text wraps by character (a closing punctuation
/// mark stays on its line, a number or Latin word moves whole to the next); a long body runs on to further pages, the signature block on the last. The CJK font is
/// embedded as a subset of exactly the glyphs printed.
/// </summary>
public static class OfficialDocumentPdf
{
    private const float Width = 595;
    private const float Height = 842;
    private const float Left = 72;
    private const float Right = Width - 72;
    private const float BodySize = 13;
    private const float LineHeight = 24;
    private const float LabelWidth = 150;
    private const float FooterTop = Height - 130;

    /// <summary>Renders <paramref name="content"/> with <paramref name="token"/> in its QR code and verification line.</summary>
    public static byte[] Render(OfficialDocumentContent content, string token, IConfiguration configuration)
    {
        var font = LicenceFont.Load(configuration);
        var pages = Layout(content, font.Typeface);
        var (typeface, owned) = configuration.GetValue("Certificate:SubsetFont", true)
            ? font.For(pages.SelectMany(p => p.Texts).Select(t => t.Text).Append(content.Bureau).Append(SealMark))
            : (font.Typeface, false);
        try
        {
            return Draw(content, token, pages, font.Typeface, typeface);
        }
        finally
        {
            if (owned)
            {
                typeface.Dispose();
            }
        }
    }

    private const string SealMark = "电子印章";

    private sealed record TextRun(string Text, float X, float Y, SKTextAlign Align, float Size, bool Red = false);

    private sealed record Rule(float X0, float Y0, float X1, float Y1, bool Red = false);

    private sealed class Page
    {
        public List<TextRun> Texts { get; } = [];

        public List<Rule> Rules { get; } = [];
    }

    /// <summary>Every text and rule of every page, measured with the whole font (a subset has the same metrics).</summary>
    private static List<Page> Layout(OfficialDocumentContent content, SKTypeface typeface)
    {
        var body = GlyphMetrics.For(typeface, BodySize);
        var pages = new List<Page> { new() };
        var page = pages[0];
        page.Texts.Add(new(content.Bureau, Width / 2, 92, SKTextAlign.Center, 20, Red: true));
        page.Texts.Add(new(content.Kind.Title, Width / 2, 126, SKTextAlign.Center, 22));
        page.Texts.Add(new(content.Number, Width / 2, 154, SKTextAlign.Center, 12));
        page.Rules.Add(new(Left, 166, Right, 166, Red: true));
        var y = 200f;
        if (content.IsLetter)
        {
            page.Texts.Add(new($"{content.Applicant}：", Left, y, SKTextAlign.Left, BodySize));
            y += LineHeight;
        }

        float? tableTop = null;
        void NewPage()
        {
            CloseTable();
            page = new Page();
            pages.Add(page);
            y = 80;
        }

        void CloseTable()
        {
            if (tableTop is { } top)
            {
                var bottom = y - LineHeight + 8;
                page.Rules.Add(new(Left, top, Left, bottom));
                page.Rules.Add(new(Right, top, Right, bottom));
                page.Rules.Add(new(Left + LabelWidth, top, Left + LabelWidth, bottom));
                tableTop = null;
            }
        }

        foreach (var block in content.Body)
        {
            if (block is Paragraph paragraph)
            {
                CloseTable();
                var indent = paragraph.Indent ? body.Advance(new System.Text.Rune('一')) + body.Advance(new System.Text.Rune('二')) : 0;
                var lines = Wrap(paragraph.Text, body, Right - Left, indent);
                for (var i = 0; i < lines.Count; i++)
                {
                    if (y > FooterTop - 20)
                    {
                        NewPage();
                    }

                    page.Texts.Add(new(lines[i], Left + (i == 0 ? indent : 0), y, SKTextAlign.Left, BodySize));
                    y += LineHeight;
                }

                y += 4;
            }
            else if (block is FormRow row)
            {
                var values = Wrap(row.Value.Length == 0 ? "—" : row.Value, body, Right - Left - LabelWidth - 16, 0);
                var labels = Wrap(row.Label, body, LabelWidth - 16, 0);
                var height = Math.Max(values.Count, labels.Count) * LineHeight;
                if (y + height > FooterTop - 20)
                {
                    NewPage();
                }

                if (tableTop is null)
                {
                    tableTop = y - LineHeight + 8;
                    page.Rules.Add(new(Left, tableTop.Value, Right, tableTop.Value));
                }

                for (var i = 0; i < labels.Count; i++)
                {
                    page.Texts.Add(new(labels[i], Left + 8, y + i * LineHeight, SKTextAlign.Left, BodySize));
                }

                for (var i = 0; i < values.Count; i++)
                {
                    page.Texts.Add(new(values[i], Left + LabelWidth + 8, y + i * LineHeight, SKTextAlign.Left, BodySize));
                }

                y += height;
                page.Rules.Add(new(Left, y - LineHeight + 8, Right, y - LineHeight + 8));
            }
        }

        CloseTable();
        // The signature block: the bureau and the date at the right, under the seal.
        if (y + 110 > FooterTop)
        {
            NewPage();
        }

        var signatureY = y + 50;
        page.Texts.Add(new(content.Bureau, Right - 20, signatureY, SKTextAlign.Right, BodySize));
        page.Texts.Add(new(DocumentDates.Plain(content.Date), Right - 20, signatureY + LineHeight, SKTextAlign.Right, BodySize));
        page.Texts.Add(new("（电子印章）", Right - 20, signatureY + 2 * LineHeight, SKTextAlign.Right, 9));

        for (var i = 0; i < pages.Count; i++)
        {
            pages[i].Texts.Add(new($"本文书由{content.Bureau}以电子印章签发（SM2/SM3 签名）。", Left + 90, Height - 100, SKTextAlign.Left, 9));
            pages[i].Texts.Add(new("扫描左侧二维码，或在许可证核验页面粘贴二维码内容，可核验真伪。", Left + 90, Height - 86, SKTextAlign.Left, 9));
            pages[i].Texts.Add(new($"文书编号：{content.Number}", Left + 90, Height - 72, SKTextAlign.Left, 9));
            pages[i].Texts.Add(new($"第 {i + 1} 页 共 {pages.Count} 页", Right, Height - 40, SKTextAlign.Right, 8));
        }

        return pages;
    }

    /// <summary>
    /// Breaks text into lines by character, keeping a closing punctuation mark on the line before it and a number
    /// together with its unit. A line's width is the sum of its characters' advances, added left to right as Skia's
    /// MeasureText adds them (so the same breaks), but each character measured once rather than the line again per
    /// character.
    /// </summary>
    internal static List<string> Wrap(string text, GlyphMetrics font, float width, float firstIndent)
    {
        var lines = new List<string>();
        var advances = new List<float>();
        foreach (var part in text.Split('\n'))
        {
            var line = new System.Text.StringBuilder();
            var lineWidth = 0f;
            advances.Clear();
            var available = lines.Count == 0 ? width - firstIndent : width;
            foreach (var rune in part.EnumerateRunes())
            {
                var advance = font.Advance(rune);
                if (line.Length > 0 && lineWidth + advance > available && !Closing(rune))
                {
                    // A number keeps its Latin neighbours and its unit: "2026年12月" never breaks between 12 and 月.
                    var word = Latin(rune) || Unit(rune) ? TrailingLatin(line) : 0;
                    var carried = word < line.Length ? line.ToString(line.Length - word, word) : "";
                    lines.Add(line.ToString(0, line.Length - carried.Length));
                    line.Clear().Append(carried);
                    // The carried characters are ASCII: one advance each, the last ones of the line.
                    advances.RemoveRange(0, advances.Count - carried.Length);
                    lineWidth = 0f;
                    foreach (var carriedAdvance in advances)
                    {
                        lineWidth += carriedAdvance;
                    }

                    available = width;
                }

                line.Append(rune.ToString());
                advances.Add(advance);
                lineWidth += advance;
            }

            lines.Add(line.ToString());
        }

        return lines;
    }

    private static bool Latin(System.Text.Rune rune) => rune.IsAscii && System.Text.Rune.IsLetterOrDigit(rune);

    /// <summary>A unit written right after a number: a date's 年/月/日, a time's 时/分, 米, 平方米's 平, 号, 条, 项.</summary>
    private static bool Unit(System.Text.Rune rune) => "年月日时分秒号米平条项个元".Contains(rune.ToString(), StringComparison.Ordinal);

    /// <summary>How many characters at the end of the line are one number or Latin word (the whole line: none to carry).</summary>
    private static int TrailingLatin(System.Text.StringBuilder line)
    {
        var count = 0;
        while (count < line.Length && char.IsAsciiLetterOrDigit(line[line.Length - 1 - count]))
        {
            count++;
        }

        return count;
    }

    private static bool Closing(System.Text.Rune rune) => "，。、；：！？）》」”’".Contains(rune.ToString(), StringComparison.Ordinal);

    private static byte[] Draw(OfficialDocumentContent content, string token, List<Page> pages, SKTypeface whole, SKTypeface typeface)
    {
        using var output = new MemoryStream();
        using (var document = SKDocument.CreatePdf(output, new SKDocumentPdfMetadata
        {
            Title = $"{content.Kind.Title} {content.Number}",
            Creator = "Permits",
            Producer = "Permits",
        }))
        {
            using var red = new SKPaint { Color = new SKColor(0xC8, 0x1E, 0x1E), IsAntialias = true };
            using var black = new SKPaint { Color = SKColors.Black, IsAntialias = true };
            using var redLine = new SKPaint { Color = red.Color, Style = SKPaintStyle.Stroke, StrokeWidth = 1.5f, IsAntialias = true };
            using var line = new SKPaint { Color = SKColors.Black, Style = SKPaintStyle.Stroke, StrokeWidth = 0.8f, IsAntialias = true };
            for (var i = 0; i < pages.Count; i++)
            {
                var canvas = document.BeginPage(Width, Height);
                foreach (var rule in pages[i].Rules)
                {
                    canvas.DrawLine(rule.X0, rule.Y0, rule.X1, rule.Y1, rule.Red ? redLine : line);
                }

                foreach (var run in pages[i].Texts)
                {
                    using var font = new SKFont(typeface, run.Size);
                    PdfText.Draw(canvas, run.Text, run.X, run.Y, run.Align, whole, font, run.Red ? red : black);
                }

                LicencePdf.DrawQr(canvas, token, Left, Height - 118, 78);
                if (i == pages.Count - 1)
                {
                    var bureauLine = pages[i].Texts.Last(t => t.Text == content.Bureau && t.Align == SKTextAlign.Right);
                    DrawSeal(canvas, whole, typeface, content.Bureau, Right - 20 - 55, bureauLine.Y);
                }

                document.EndPage();
            }

            document.Close();
        }

        return output.ToArray();
    }

    /// <summary>The electronic seal: a red ring, the bureau's name along its upper arc, a star, and 电子印章 beneath.</summary>
    private static void DrawSeal(SKCanvas canvas, SKTypeface whole, SKTypeface typeface, string bureau, float cx, float cy)
    {
        const float radius = 52;
        using var ring = new SKPaint
        {
            Color = new SKColor(0xD0, 0x1F, 0x1F, 0xD8), Style = SKPaintStyle.Stroke, StrokeWidth = 3, IsAntialias = true,
        };
        using var ink = new SKPaint { Color = ring.Color, IsAntialias = true };
        canvas.DrawCircle(cx, cy, radius, ring);

        using var letters = new SKFont(typeface, 12);
        var characters = bureau.EnumerateRunes().Select(r => r.ToString()).ToList();
        var span = Math.Min(240f, 24f * characters.Count);
        for (var i = 0; i < characters.Count; i++)
        {
            var angle = characters.Count == 1 ? 0 : -span / 2 + span * i / (characters.Count - 1);
            canvas.Save();
            canvas.Translate(cx, cy);
            canvas.RotateDegrees(angle);
            PdfText.Draw(canvas, characters[i], 0, -radius + 17, SKTextAlign.Center, whole, letters, ink);
            canvas.Restore();
        }

        using var star = new SKPath();
        for (var i = 0; i < 10; i++)
        {
            var r = i % 2 == 0 ? 15f : 6f;
            var a = Math.PI / 5 * i - Math.PI / 2;
            var point = new SKPoint(cx + (float)(r * Math.Cos(a)), cy + (float)(r * Math.Sin(a)));
            if (i == 0)
            {
                star.MoveTo(point);
            }
            else
            {
                star.LineTo(point);
            }
        }

        star.Close();
        canvas.DrawPath(star, ink);
        using var mark = new SKFont(typeface, 10);
        PdfText.Draw(canvas, SealMark, cx, cy + 30, SKTextAlign.Center, whole, mark, ink);
    }
}
