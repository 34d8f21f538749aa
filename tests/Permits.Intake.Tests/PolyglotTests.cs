using System.IO.Compression;
using System.Text;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Permits.Contracts.Intake.V1;
using Permits.Testing;

namespace Permits.Intake.Tests;

/// <summary>
/// Files that are an image or a PDF and something else as well (JPEG + HTML, PNG + ZIP, PDF + JavaScript) passed the
/// first-bytes check; officers open them. Refused naming the content; ordinary files still pass.
/// </summary>
public sealed class When_a_shopkeeper_uploads_a_polyglot_file : IAsyncLifetime
{
    private static readonly byte[] Jpeg =
    [
        0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, .. "JFIF"u8, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
        0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00, 0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56, 0xFF, 0xD9,
    ];

    private static readonly byte[] Png =
    [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A,
        0x00, 0x00, 0x00, 0x0D, .. "IHDR"u8, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x77, 0x53, 0xDE,
        0x00, 0x00, 0x00, 0x0C, .. "IDAT"u8, 0x08, 0xD7, 0x63, 0xF8, 0xCF, 0xC0, 0x00, 0x00, 0x03, 0x01, 0x01, 0x00, 0x18, 0xDD, 0x8D, 0xB0,
        0x00, 0x00, 0x00, 0x00, .. "IEND"u8, 0xAE, 0x42, 0x60, 0x82,
    ];

    private static byte[] Pdf(string catalog, byte[]? stream = null) =>
    [
        .. Encoding.Latin1.GetBytes($"%PDF-1.7\n1 0 obj\n{catalog}\nendobj\n"),
        .. stream is null ? [] : (byte[])[.. "2 0 obj\n<< /Type /ObjStm /Filter /FlateDecode >>\nstream\n"u8, .. stream, .. "\nendstream\nendobj\n"u8],
        .. "trailer\n<< /Root 1 0 R >>\n%%EOF\n"u8,
    ];

    private static byte[] Deflated(string text)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal))
        {
            zlib.Write(Encoding.Latin1.GetBytes(text));
        }

        return output.ToArray();
    }

    private IntakeHost _host = null!;

    public async Task InitializeAsync() => _host = await IntakeHost.StartAsync("Sqlite");

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<Material> UploadAsync(byte[] content, MaterialKind kind = MaterialKind.BusinessLicence)
    {
        var draft = await _host.Client.SaveDraftAsync(new SaveDraftRequest { Form = SampleApplications.Individual() }, IntakeHost.As());
        return await _host.Client.UploadMaterialAsync(new UploadMaterialRequest
        {
            DraftId = draft.DraftId, Kind = kind, FileName = "file", Content = ByteString.CopyFrom(content),
        }, IntakeHost.As());
    }

    public static TheoryData<string> Polyglots() =>
    [
        "jpeg + html", "jpeg + script in a comment", "png + zip", "png + html after iend", "pdf + javascript",
        "pdf + escaped javascript name", "pdf + launch in a compressed object stream", "pdf + embedded file", "pdf + xfa",
        "pdf + automatic action",
    ];

    [Theory]
    [MemberData(nameof(Polyglots))]
    public async Task Should_refuse_it_on_the_content_field(string polyglot)
    {
        byte[] zip = [.. "PK"u8, 0x03, 0x04, .. new byte[26], .. "a.html"u8, .. "PK"u8, 0x05, 0x06, .. new byte[18]];
        var content = polyglot switch
        {
            "jpeg + html" => [.. Jpeg, .. "<html><body><script>alert(document.cookie)</script></body></html>"u8],
            "jpeg + script in a comment" => [.. Jpeg[..2], 0xFF, 0xFE, 0x00, 0x22, .. "<script>alert(1)</script>       "u8, .. Jpeg[2..]],
            "png + zip" => [.. Png, .. zip],
            "png + html after iend" => [.. Png, .. "<!DOCTYPE html><p>hi"u8],
            "pdf + javascript" => Pdf("<< /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>"),
            "pdf + escaped javascript name" => Pdf("<< /Type /Catalog /OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >> >>"),
            "pdf + launch in a compressed object stream" => Pdf("<< /Type /Catalog >>", Deflated("<< /S /Launch /F (cmd.exe) >>")),
            "pdf + embedded file" => Pdf("<< /Type /Catalog /Names << /EmbeddedFiles 3 0 R >> >>"),
            "pdf + xfa" => Pdf("<< /Type /Catalog /AcroForm << /XFA 4 0 R >> >>"),
            _ => Pdf("<< /Type /Catalog /Pages 2 0 R /AA << /O 5 0 R >> >>"),
        };

        var error = await Assert.ThrowsAsync<RpcException>(() => UploadAsync(content));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations, v => v.Field == "content");
        Assert.Equal(0, await _host.CountAsync("application_materials"));
    }

    [Fact]
    public async Task Should_still_accept_a_plain_jpeg_png_and_pdf()
    {
        var photo = await UploadAsync([.. Jpeg, 0x00, 0x00], MaterialKind.PremisesPhoto);  // padding after EOI is harmless
        var multiPicture = await UploadAsync([.. Jpeg, .. Jpeg], MaterialKind.IdCard);     // a phone's MPF second frame
        var png = await UploadAsync(Png, MaterialKind.PremisesPhoto);
        var pdf = await UploadAsync(Pdf("<< /Type /Catalog /Pages 2 0 R /OpenAction [3 0 R /Fit] >>",
            Deflated("BT /F1 12 Tf (JSON /JSX AAB) Tj ET")));

        Assert.Equal(("image/jpeg", "image/jpeg", "image/png", "application/pdf"),
            (photo.ContentType, multiPicture.ContentType, png.ContentType, pdf.ContentType));
    }
}
