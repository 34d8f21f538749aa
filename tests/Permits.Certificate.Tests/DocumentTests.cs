using System.Diagnostics;
using System.Text.Json;
using Grpc.Core;
using Permits.Certificate.Signing;
using Permits.Contracts.Certificate.V1;

namespace Permits.Certificate.Tests;

/// <summary>Needs the Debian packages poppler-utils (pdftoppm), zbar-tools (zbarimg) and fonts-arphic-gbsn00lp.</summary>
public sealed class When_the_holder_downloads_the_licence : IAsyncLifetime
{
    private CertificateHost _host = null!;

    public async Task InitializeAsync() => _host = await CertificateHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Should_render_a_pdf_whose_qr_code_carries_a_token_that_verifies()
    {
        var approval = CertificateHost.Approval();
        var number = (await _host.IssueAsync(approval))!;

        var document = await _host.Client.GetLicenceDocumentAsync(
            new GetLicenceDocumentRequest { ApplicationNumber = approval.ApplicationNumber, LicenceNumber = number }, CertificateHost.Officer);

        var folder = Directory.CreateTempSubdirectory("permits-licence-pdf").FullName;
        try
        {
            var pdf = Path.Combine(folder, "licence.pdf");
            await File.WriteAllBytesAsync(pdf, document.Pdf.ToByteArray());
            await RunAsync("pdftoppm", "poppler-utils", "-r", "150", "-png", "-singlefile", pdf, Path.Combine(folder, "face"));
            var scanned = (await RunAsync("zbarimg", "zbar-tools", "--raw", "-q", Path.Combine(folder, "face.png"))).Trim();
            Assert.True(document.Pdf.Length < 500 * 1024, $"the PDF is {document.Pdf.Length} bytes: the CJK font should be a subset");
            // The red title is drawn with the subset font: if its outlines were lost the page would have no red ink there.
            Assert.True(RedPixelsInTitle(Path.Combine(folder, "face.png")) > 2000, "the title's glyphs did not render");

            Assert.Equal(document.Token, scanned);
            var verified = await _host.Client.VerifyAsync(new VerifyRequest { Token = scanned });
            Assert.Equal(("GENUINE", "VALID", number), (verified.Authenticity, verified.Status, verified.LicenceNumber));
            var fonts = await RunAsync("pdffonts", "poppler-utils", pdf);
            // pdffonts columns: name type encoding emb sub uni object gen: the CJK font must be embedded.
            var cjk = fonts.Split('\n').Single(line => line.Contains("Identity-H", StringComparison.Ordinal))
                .Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("yes", cjk[^5]);
            var text = await RunAsync("pdftotext", "poppler-utils", "-layout", pdf, "-");
            Assert.Contains("烟草专卖零售许可证", text);
            Assert.Contains(number, text);
            Assert.Contains("卷烟、雪茄烟零售", text);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Should_put_the_verification_page_with_the_token_in_the_qr_code_when_the_portal_is_configured()
    {
        await using var host = await CertificateHost.StartAsync(
            settings: new Dictionary<string, string?> { ["Certificate:PublicVerifyUrl"] = "https://permits.example.gov.cn/verify" });
        var approval = CertificateHost.Approval();
        var number = (await host.IssueAsync(approval))!;
        var document = await host.Client.GetLicenceDocumentAsync(
            new GetLicenceDocumentRequest { ApplicationNumber = approval.ApplicationNumber, LicenceNumber = number }, CertificateHost.Officer);

        var folder = Directory.CreateTempSubdirectory("permits-licence-qr").FullName;
        try
        {
            var pdf = Path.Combine(folder, "licence.pdf");
            await File.WriteAllBytesAsync(pdf, document.Pdf.ToByteArray());
            await RunAsync("pdftoppm", "poppler-utils", "-r", "150", "-png", "-singlefile", pdf, Path.Combine(folder, "face"));
            var scanned = (await RunAsync("zbarimg", "zbar-tools", "--raw", "-q", Path.Combine(folder, "face.png"))).Trim();

            Assert.Equal("https://permits.example.gov.cn/verify?t=" + document.Token, scanned);
            // Pasted whole, the URL verifies as its token does: the token is cut out and checked against the keys.
            var verified = await host.Client.VerifyAsync(new VerifyRequest { Token = scanned });
            Assert.Equal(("GENUINE", "VALID", number), (verified.Authenticity, verified.Status, verified.LicenceNumber));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Should_sign_the_json_so_it_verifies_with_the_published_key()
    {
        var approval = CertificateHost.Approval();
        var number = (await _host.IssueAsync(approval))!;

        var document = await _host.Client.GetLicenceDocumentAsync(
            new GetLicenceDocumentRequest { ApplicationNumber = approval.ApplicationNumber, LicenceNumber = number }, CertificateHost.Officer);

        var json = JsonDocument.Parse(document.SignedJson).RootElement;
        var payload = json.GetProperty("payload").GetString()!;
        var keys = await _host.Client.GetSigningKeysAsync(new GetSigningKeysRequest());
        var key = Sm2.ReadPublicPem(keys.Keys.Single(k => k.KeyId == json.GetProperty("keyId").GetString()).PublicKeyPem);
        var signature = Convert.FromBase64String(json.GetProperty("signature").GetString()!);
        Assert.True(Sm2.Verify(key, System.Text.Encoding.UTF8.GetBytes(payload), signature));
        Assert.False(Sm2.Verify(key, System.Text.Encoding.UTF8.GetBytes(payload.Replace(number, "330424199999")), signature));
        Assert.Equal("张三", JsonDocument.Parse(payload).RootElement.GetProperty("responsiblePerson").GetString());
    }

    [Fact]
    public async Task Should_fail_the_pdf_call_naming_the_font_package_when_the_font_is_missing()
    {
        await using var host = await CertificateHost.StartAsync(
            settings: new Dictionary<string, string?> { ["Certificate:FontFile"] = "/nonexistent/no-such-font.ttf" });
        var approval = CertificateHost.Approval();
        var number = (await host.IssueAsync(approval))!;

        var error = await Assert.ThrowsAsync<RpcException>(() => host.Client.GetLicenceDocumentAsync(
            new GetLicenceDocumentRequest { ApplicationNumber = approval.ApplicationNumber, LicenceNumber = number }, CertificateHost.Officer).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("fonts-arphic-gbsn00lp", error.Status.Detail);
        var verified = await host.Client.VerifyAsync(new VerifyRequest { LicenceNumber = number });
        Assert.Equal("VALID", verified.Status);
    }

    /// <summary>Red pixels where the title 烟草专卖零售许可证 is printed (page rendered at 150 dpi).</summary>
    private static int RedPixelsInTitle(string png)
    {
        using var bitmap = SkiaSharp.SKBitmap.Decode(png);
        const float scale = 150f / 72;
        var count = 0;
        for (var y = (int)(50 * scale); y < (int)(90 * scale); y++)
        {
            for (var x = (int)(280 * scale); x < (int)(560 * scale); x++)
            {
                var pixel = bitmap.GetPixel(x, y);
                if (pixel.Red > 110 && pixel.Green < 90 && pixel.Blue < 90)
                {
                    count++;
                }
            }
        }

        return count;
    }

    /// <summary>Runs a command-line tool (its Debian package named when it is missing) and returns what it printed.</summary>
    internal static async Task<string> RunAsync(string tool, string package, params string[] arguments)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception error)
        {
            throw new InvalidOperationException($"{tool} is missing: install the Debian package {package}.", error);
        }

        using (process)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0, $"{tool} failed ({process.ExitCode}): {await stderr}");
            return await stdout;
        }
    }
}
