using Microsoft.Extensions.Configuration;
using Permits.Certificate.Documents;
using SkiaSharp;

namespace Permits.Certificate.Tests;

/// <summary>How an official document's text breaks into lines: by character, but never inside a number with its unit.</summary>
public sealed class When_a_document_line_is_broken
{
    private const string Sentence = "你单位于2026年12月16日提交的烟草专卖零售许可证新办申请，经审查，符合法定条件，准予行政许可。";

    [Fact]
    public void Should_never_part_a_number_from_its_unit_or_split_a_number()
    {
        var font = LicenceFont.Load(new ConfigurationBuilder().Build());
        using var body = new SKFont(font.Typeface, 14);
        var widths = GlyphMetrics.For(font.Typeface, 14);
        var breaksChecked = 0;

        // Every width from a few characters to the whole sentence: some break right before 月, 日 or inside 2026.
        for (var width = 60f; width <= body.MeasureText(Sentence); width += 3)
        {
            var lines = OfficialDocumentPdf.Wrap(Sentence, widths, width, 0);
            Assert.Equal(Sentence, string.Concat(lines));
            for (var i = 1; i < lines.Count; i++)
            {
                var before = lines[i - 1][^1];
                var after = lines[i][0];
                Assert.False(char.IsAsciiDigit(before) && (char.IsAsciiDigit(after) || "年月日".Contains(after)),
                    $"width {width}: a line ends with '{lines[i - 1]}' and the next starts with '{lines[i]}'");
                breaksChecked++;
            }
        }

        Assert.True(breaksChecked > 50, "the widths tried broke the sentence too rarely to show anything");
    }
}
