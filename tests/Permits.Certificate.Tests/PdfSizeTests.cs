using Microsoft.Extensions.Configuration;
using Permits.Certificate.Documents;
using SkiaSharp;
using Xunit.Abstractions;

namespace Permits.Certificate.Tests;

/// <summary>
/// The licence PDF's size with the CJK font subset (default) and whole, printed as figures:
/// <c>dotnet test tests/Permits.Certificate.Tests -c Release --filter "FullyQualifiedName~When_the_licence_pdf_is_rendered" --logger "console;verbosity=detailed"</c>.
/// </summary>
public sealed class When_the_licence_pdf_is_rendered(ITestOutputHelper output)
{
    private static readonly Dictionary<string, string> Fields = new()
    {
        ["licenceTitle"] = "烟草专卖零售许可证",
        ["licenceNumber"] = "330424100001",
        ["elicenceId"] = "1.2.156.3005.2.11100000000013338W.11330424002583918X.330424100001.001.K",
        ["version"] = "1",
        ["duplicate"] = "0",
        ["holderName"] = "海盐县武原街道便民烟杂店",
        ["creditCode"] = "",
        ["responsiblePerson"] = "张三",
        ["premisesAddress"] = "浙江省嘉兴市海盐县武原街道盐湖路 1 号",
        ["holderType"] = "个体工商户",
        ["scope"] = "卷烟、雪茄烟零售（不含电子烟）",
        ["supplier"] = "海盐县烟草公司",
        ["validFrom"] = "2026-11-23",
        ["validTo"] = "2031-11-22",
        ["issuingAuthority"] = "海盐县烟草专卖局",
        ["issuingAuthorityCode"] = "11330424002583918X",
        ["issuedOn"] = "2026-11-23",
        ["decisionDocument"] = "盐烟专许〔2026〕1号",
    };

    private static byte[] Render(bool subset) => LicencePdf.Render(Fields, "eyJ0ZXN0IjoidG9rZW4ifQ.key.c2lnbmF0dXJl",
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Certificate:SubsetFont"] = subset ? "true" : "false",
        }).Build());

    [Fact]
    public void Should_embed_only_the_glyphs_it_draws_and_stay_well_under_500_kb()
    {
        var whole = Render(subset: false);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var subset = Render(subset: true);
        var elapsed = clock.Elapsed;

        output.WriteLine($"licence PDF with the whole font embedded: {whole.Length:N0} bytes ({whole.Length / 1024.0:F0} KB)");
        output.WriteLine($"licence PDF with the font subset:         {subset.Length:N0} bytes ({subset.Length / 1024.0:F0} KB), rendered in {elapsed.TotalMilliseconds:F0} ms");
        Assert.True(subset.Length < 500 * 1024, $"{subset.Length} bytes");
        Assert.True(subset.Length * 4 < whole.Length, $"subset {subset.Length} bytes, whole {whole.Length} bytes");
    }

    private const uint NameTag = ('n' << 24) | ('a' << 16) | ('m' << 8) | 'e';

    [Fact]
    public void Should_keep_the_glyph_ids_outlines_and_mapping_of_drawn_characters_only()
    {
        var font = LicenceFont.Load(new ConfigurationBuilder().Build());
        Assert.NotNull(font.Subsetter);

        var (subset, owned) = font.For(["许可证"]);
        try
        {
            Assert.True(owned);
            using var whole = new SKFont(font.Typeface, 20);
            using var part = new SKFont(subset, 20);
            // A drawn character keeps its glyph id, outline and advance.
            var drawn = whole.GetGlyphs("证")[0];
            Assert.Equal(drawn, part.GetGlyphs("证")[0]);
            using (var path = part.GetGlyphPath(drawn))
            {
                Assert.False(path is null || path.IsEmpty);
            }

            Assert.Equal(whole.GetGlyphWidths("证")[0], part.GetGlyphWidths("证")[0]);

            // Another is neither mapped nor outlined: the cmap holds the drawn characters alone.
            var other = whole.GetGlyphs("龙")[0];
            Assert.NotEqual(0, other);
            Assert.Equal(0, part.GetGlyphs("龙")[0]);
            using (var path = part.GetGlyphPath(other))
            {
                Assert.True(path is null || path.IsEmpty);
            }

            // The font's own names stay (a viewer shows them); its licence text (name id 13) is not embedded.
            Assert.Equal(font.Typeface.FamilyName, subset.FamilyName);
            var names = subset.GetTableData(NameTag);
            Assert.True(names.Length < 2048, $"name table of {names.Length} bytes");
            Assert.True(font.Typeface.GetTableData(NameTag).Length > 40_000);
        }
        finally
        {
            subset.Dispose();
        }
    }
}
