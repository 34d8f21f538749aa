using Permits.Certificate.Documents;
using SkiaSharp;
using ZXing;
using ZXing.Common;
using ZXing.QrCode;
using ZXing.QrCode.Internal;

namespace Permits.Certificate.Tests;

/// <summary>
/// Certificate draws its QR codes itself (<see cref="QrCode"/>): an independent reader, ZXing, must read back exactly the
/// text encoded, at error correction M or stronger, whatever the version, and from the square as a page draws it.
/// </summary>
public sealed class When_a_qr_code_is_made
{
    private const string LicenceUrl =
        "https://permits.example.gov.cn/verify?t=eyJ2IjoxLCJuIjoiMzMwMTAwMTIzNDU2IiwiZSI6IkUtMzMwMTAwLTAwMDEyMyJ9.MEUCIQDx-kq_Zr7";

    public static TheoryData<string> Texts()
    {
        var random = new Random(19);
        const string url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~/:?&=%";
        string Random(int length) => new([.. Enumerable.Range(0, length).Select(_ => url[random.Next(url.Length)])]);
        // One character; the licence's URL; a token alone; every length around a version's edge up to version 40 (2,331
        // bytes at M); Chinese, which goes as UTF-8.
        return new TheoryData<string>
        {
            "A", LicenceUrl, new string('A', 180), Random(180), Random(182), Random(183), Random(213), Random(214), Random(1000),
            Random(2331), "烟草专卖零售许可证 330100123456 某某便利店", "café ?t=许可",
        };
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public void Should_read_back_as_the_same_text_at_medium_correction_or_better(string text)
    {
        var read = Read(QrCode.Encode(text));

        Assert.Equal(text, read.Text);
        Assert.Contains(read.ECLevel, new[] { "M", "Q", "H" });
    }

    [Fact]
    public void Should_keep_the_smallest_version_and_raise_the_correction_that_still_fits_it()
    {
        // 180 bytes fit version 9 at M (182 bytes) but not at Q: M stays. One byte fits version 1 at H.
        Assert.Equal(53, QrCode.Encode(new string('a', 180)).Size);
        Assert.Equal("M", Read(QrCode.Encode(new string('a', 180))).ECLevel);
        Assert.Equal(21, QrCode.Encode("a").Size);
        Assert.Equal("H", Read(QrCode.Encode("a")).ECLevel);
    }

    [Fact]
    public void Should_scan_from_the_square_a_page_draws()
    {
        using var bitmap = new SKBitmap(new SKImageInfo(240, 240, SKColorType.Gray8, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.Gray);
            LicencePdf.DrawQr(canvas, LicenceUrl, 20, 20, 200);
        }

        var pixels = new RGBLuminanceSource(bitmap.Bytes, bitmap.Width, bitmap.Height, RGBLuminanceSource.BitmapFormat.Gray8);
        var read = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(pixels)));

        Assert.NotNull(read);
        Assert.Equal(LicenceUrl, read.Text);
    }

    private static DecoderResult Read(QrCode code)
    {
        var matrix = new BitMatrix(code.Size);
        for (var row = 0; row < code.Size; row++)
        {
            for (var column = 0; column < code.Size; column++)
            {
                matrix[column, row] = code[row, column];
            }
        }

        return new Decoder().decode(matrix, null) ?? throw new Xunit.Sdk.XunitException("ZXing could not read the code.");
    }
}
