using System.Diagnostics;

namespace Permits.EndToEnd.Tests;

/// <summary>A formal document as printed: its first page rendered with pdftoppm, its text read with pdftotext (poppler-utils).</summary>
public static class PrintedDocument
{
    /// <summary>pdftotext's words without the spaces and line breaks its layout puts between them.</summary>
    public static string Squeezed(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    /// <summary>The PDF's text, after rendering its first page to PNG (it must rasterise).</summary>
    public static async Task<string> TextAsync(byte[] pdfBytes)
    {
        var folder = Directory.CreateTempSubdirectory("permits-e2e-document").FullName;
        try
        {
            var pdf = Path.Combine(folder, "document.pdf");
            await File.WriteAllBytesAsync(pdf, pdfBytes);
            await RunAsync("pdftoppm", "-r", "72", "-png", "-singlefile", "-f", "1", "-l", "1", pdf, Path.Combine(folder, "page"));
            Assert.True(new FileInfo(Path.Combine(folder, "page.png")).Length > 1000, "the first page did not render");
            return await RunAsync("pdftotext", "-layout", pdf, "-");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<string> RunAsync(string tool, params string[] arguments)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{tool} is missing: install poppler-utils.");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"{tool} failed ({process.ExitCode}): {await stderr}");
        return await stdout;
    }
}
