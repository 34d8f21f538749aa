using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using SkiaSharp;

namespace Permits.Certificate.Documents;

/// <summary>
/// Text drawn on a PDF page in a document's font subset, placed with the whole font's glyph ids and advances. A subset
/// keeps the glyph ids, outlines and metrics of what it draws (<see cref="Permits.Documents.TrueTypeSubset"/>), so a
/// run comes out as <see cref="SKCanvas.DrawText(string, float, float, SKTextAlign, SKFont, SKPaint)"/> would place it
/// in the subset, to the same bytes: glyph i at the sum of the advances before it, and a centred or right-aligned run
/// moved left by half or all of their sum. But the whole font is loaded once per process and its advances measured once
/// per character and size, whereas each document's subset is a new typeface: placing its text there made FreeType
/// load and hint every glyph again at every size the page uses.
/// </summary>
internal static class PdfText
{
    public static void Draw(SKCanvas canvas, string text, float x, float y, SKTextAlign align, SKTypeface whole, SKFont font, SKPaint paint)
    {
        var metrics = GlyphMetrics.For(whole, font.Size);
        var count = 0;
        foreach (var _ in text.EnumerateRunes())
        {
            count++;
        }

        if (count == 0)
        {
            return;
        }

        Span<ushort> glyphs = count <= 256 ? stackalloc ushort[count] : new ushort[count];
        Span<SKPoint> positions = count <= 256 ? stackalloc SKPoint[count] : new SKPoint[count];
        var width = 0f;
        var i = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            var (glyph, advance) = metrics.Of(rune);
            glyphs[i] = glyph;
            positions[i++] = new SKPoint(width, 0);
            width += advance;
        }

        if (align != SKTextAlign.Left)
        {
            if (align == SKTextAlign.Center)
            {
                width *= 0.5f;
            }

            x -= width;
        }

        using var builder = new SKTextBlobBuilder();
        builder.AddPositionedRun(glyphs, font, positions);
        using var blob = builder.Build();
        if (blob is not null)
        {
            canvas.DrawText(blob, x, y, paint);
        }
    }
}

/// <summary>
/// The glyph id and advance of each character in one typeface at one size (Skia's default font settings, as
/// <see cref="SKFont"/> measures and places text), each measured once and kept for the typeface's life; thread-safe.
/// Skia's MeasureText of a string is the sum of these advances, added left to right.
/// </summary>
internal sealed class GlyphMetrics
{
    private static readonly ConditionalWeakTable<SKTypeface, ConcurrentDictionary<float, GlyphMetrics>> Sizes = new();

    private readonly SKFont _font;
    private readonly ConcurrentDictionary<int, (ushort Glyph, float Advance)> _characters = new();

    private GlyphMetrics(SKTypeface typeface, float size) => _font = new SKFont(typeface, size);

    public static GlyphMetrics For(SKTypeface typeface, float size) =>
        Sizes.GetValue(typeface, _ => new()).GetOrAdd(size, s => new GlyphMetrics(typeface, s));

    public float Advance(Rune rune) => Of(rune).Advance;

    public (ushort Glyph, float Advance) Of(Rune rune) =>
        _characters.TryGetValue(rune.Value, out var known) ? known : _characters.GetOrAdd(rune.Value, Measure(rune));

    private (ushort, float) Measure(Rune rune)
    {
        var text = rune.ToString();
        lock (_font)
        {
            return (_font.GetGlyphs(text)[0], _font.MeasureText(text));
        }
    }
}
