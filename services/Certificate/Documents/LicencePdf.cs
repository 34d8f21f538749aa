using SkiaSharp;

namespace Permits.Certificate.Documents;

/// <summary>
/// The printable licence face (A4 landscape, Chinese): every printed field, the e-licence identifier, and a QR code
/// opening the verification page with the compact signed token (<see cref="LicenceQr"/>), which alone still checks
/// offline. The CJK font is embedded as a subset.
/// </summary>
public static class LicencePdf
{
    private const float Width = 842;
    private const float Height = 595;

    public static byte[] Render(IReadOnlyDictionary<string, string> fields, string token, IConfiguration configuration)
    {
        var texts = Layout(fields);
        var font = LicenceFont.Load(configuration);
        var (typeface, owned) = configuration.GetValue("Certificate:SubsetFont", true)
            ? font.For(texts.Select(t => t.Text))
            : (font.Typeface, false);
        try
        {
            return Draw(fields, LicenceQr.Content(token, configuration), texts, font.Typeface, typeface);
        }
        finally
        {
            if (owned)
            {
                typeface.Dispose();
            }
        }
    }

    private sealed record TextRun(string Text, float X, float Y, SKTextAlign Align, float Size, bool Red);

    /// <summary>Every piece of text on the face, first, so the font subset can hold exactly their glyphs.</summary>
    private static List<TextRun> Layout(IReadOnlyDictionary<string, string> fields)
    {
        var runs = new List<TextRun>
        {
            new("烟草专卖零售许可证", Width / 2, 82, SKTextAlign.Center, 30, true),
        };
        var duplicate = int.TryParse(fields["duplicate"], out var copy) && copy > 0 ? $"（补办 第 {copy} 次）" : "";
        runs.Add(new($"许可证号：{fields["licenceNumber"]}{duplicate}", Width / 2, 112, SKTextAlign.Center, 13, false));

        (string Label, string Key)[] rows =
        [
            ("企业（字号）名称", "holderName"),
            ("负责人（经营者）", "responsiblePerson"),
            ("经营场所", "premisesAddress"),
            ("企业类型", "holderType"),
            ("统一社会信用代码", "creditCode"),
            ("许可范围", "scope"),
            ("供货单位", "supplier"),
            ("有效期限", "validity"),
            ("发证机关", "issuingAuthority"),
            ("发证日期", "issuedOn"),
        ];
        var y = 155f;
        foreach (var (name, key) in rows)
        {
            var value = key == "validity" ? $"自 {fields["validFrom"]} 至 {fields["validTo"]}" : fields.GetValueOrDefault(key, "");
            runs.Add(new(name, 70, y, SKTextAlign.Left, 13, false));
            runs.Add(new(value.Length == 0 ? "—" : value, 215, y, SKTextAlign.Left, 13, false));
            y += 28;
        }

        runs.Add(new($"电子证照标识：{fields["elicenceId"]}（第 {fields["version"]} 版）", 70, Height - 70, SKTextAlign.Left, 9, false));
        runs.Add(new("扫描二维码可离线核验真伪（SM2/SM3 签名），或在许可证核验页面输入许可证号查询当前状态。", 70, Height - 55,
            SKTextAlign.Left, 9, false));
        return runs;
    }

    private static byte[] Draw(IReadOnlyDictionary<string, string> fields, string qr, List<TextRun> texts, SKTypeface whole, SKTypeface typeface)
    {
        using var output = new MemoryStream();
        using (var document = SKDocument.CreatePdf(output, new SKDocumentPdfMetadata
        {
            Title = $"烟草专卖零售许可证 {fields["licenceNumber"]}",
            Creator = "Permits",
            Producer = "Permits",
        }))
        {
            var canvas = document.BeginPage(Width, Height);
            using var red = new SKPaint { Color = new SKColor(0x9B, 0x1B, 0x1B), IsAntialias = true };
            using var black = new SKPaint { Color = SKColors.Black, IsAntialias = true };
            using var frame = new SKPaint { Color = red.Color, Style = SKPaintStyle.Stroke, StrokeWidth = 3 };

            canvas.DrawRect(24, 24, Width - 48, Height - 48, frame);
            foreach (var run in texts)
            {
                using var font = new SKFont(typeface, run.Size);
                PdfText.Draw(canvas, run.Text, run.X, run.Y, run.Align, whole, font, run.Red ? red : black);
            }

            DrawQr(canvas, qr, Width - 260, 130, 200);
            document.EndPage();
            document.Close();
        }

        return output.ToArray();
    }

    /// <summary>
    /// A QR code of <paramref name="text"/> drawn as squares (sharp at any zoom), on white with the standard's four-module
    /// quiet zone: a rectangle per run of dark modules in a row, in units of one module, so the page says "3 5 2 1 re" once
    /// per run rather than a rectangle with decimals per module (that was most of a document's page content, compressed
    /// again for each document).
    /// </summary>
    internal static void DrawQr(SKCanvas canvas, string text, float x, float y, float size)
    {
        const int quietZone = 4;
        var code = QrCode.Encode(text, QrErrorCorrection.Medium);
        var modules = code.Size;
        using var white = new SKPaint { Color = SKColors.White };
        using var black = new SKPaint { Color = SKColors.Black, IsAntialias = false };
        canvas.DrawRect(x, y, size, size, white);
        canvas.Save();
        canvas.Translate(x, y);
        canvas.Scale(size / (modules + 2 * quietZone));
        for (var row = 0; row < modules; row++)
        {
            for (var column = 0; column < modules; column++)
            {
                if (code[row, column])
                {
                    var start = column;
                    while (column + 1 < modules && code[row, column + 1])
                    {
                        column++;
                    }

                    canvas.DrawRect(quietZone + start, quietZone + row, column + 1 - start, 1, black);
                }
            }
        }

        canvas.Restore();
    }
}
