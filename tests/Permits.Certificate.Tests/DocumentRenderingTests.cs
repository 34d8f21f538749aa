using Microsoft.Extensions.Configuration;
using Permits.Certificate.Documents;
using Permits.Contracts.Documents;
using SkiaSharp;

namespace Permits.Certificate.Tests;

/// <summary>
/// A document's text is placed with the whole font's cached glyph ids and advances, drawn in the document's subset
/// (<see cref="PdfText"/>): the page must come out exactly as Skia's own DrawText in the subset would make it, and the
/// same document twice the same bytes (its SHA-256 and signature are stored).
/// </summary>
public sealed class When_a_document_is_rendered
{
    private static readonly IConfiguration Configuration = new ConfigurationBuilder().Build();

    private const string Text = "某某县烟草专卖局于2026年12月6日决定（ABC-88 号）：予以受理。";

    [Theory]
    [InlineData(SKTextAlign.Left, 13f)]
    [InlineData(SKTextAlign.Center, 22f)]
    [InlineData(SKTextAlign.Right, 9f)]
    public void Should_place_each_glyph_where_skia_places_it_in_the_subset(SKTextAlign align, float size)
    {
        var font = LicenceFont.Load(Configuration);
        var (subset, owned) = font.For([Text]);
        Assert.True(owned);
        try
        {
            var skia = Page(canvas =>
            {
                using var text = new SKFont(subset, size);
                canvas.DrawText(Text, 300, 100, align, text, Black);
            });
            var cached = Page(canvas =>
            {
                using var text = new SKFont(subset, size);
                PdfText.Draw(canvas, Text, 300, 100, align, font.Typeface, text, Black);
            });

            Assert.Equal(skia, cached);
        }
        finally
        {
            subset.Dispose();
        }
    }

    [Fact]
    public void Should_render_the_same_document_to_the_same_bytes()
    {
        var content = new OfficialDocumentContent(
            OfficialDocuments.Get(OfficialDocuments.Acceptance), "某烟许受〔2026〕第 000123 号", "某某县烟草专卖局", "某某便利店",
            [new Paragraph(Text), new FormRow("经营场所", "某某省某某市某某县某某镇某某路 88 号一层")], new DateOnly(2026, 12, 6));

        var first = OfficialDocumentPdf.Render(content, "token", Configuration);
        var second = OfficialDocumentPdf.Render(content, "token", Configuration);

        Assert.Equal(first, second);
        Assert.NotEqual(first, OfficialDocumentPdf.Render(content with { Applicant = "另一便利店" }, "token", Configuration));
    }

    private static readonly SKPaint Black = new() { Color = SKColors.Black, IsAntialias = true };

    private static byte[] Page(Action<SKCanvas> draw)
    {
        using var output = new MemoryStream();
        using (var document = SKDocument.CreatePdf(output, new SKDocumentPdfMetadata { Title = "t", Creator = "t", Producer = "t" }))
        {
            draw(document.BeginPage(595, 842));
            document.EndPage();
            document.Close();
        }

        return output.ToArray();
    }
}
