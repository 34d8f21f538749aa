using System.IO.Compression;
using System.Text;

namespace Permits.Intake.Domain;

/// <summary>
/// A file that is a valid image or PDF and something else too (a polyglot: JPEG + HTML, PNG + ZIP, PDF + JavaScript)
/// is refused: officers open these files, and a browser or reader that takes the other reading runs what was hidden.
/// Images must end where their format ends (JPEG EOI, PNG IEND) and carry no markup or archive; PDFs carry no active
/// content (scripts, launch actions, embedded files, XFA forms, rich media, automatic actions), compressed or not.
/// </summary>
public static class MaterialStructure
{
    private static readonly string[] Markup =
        ["<html", "<script", "<!doctype", "<iframe", "<body", "<object", "<embed", "javascript:"];

    // A ZIP reader looks for its end-of-central-directory record in the last 64 KB: an archive riding in the file.
    private static readonly byte[] ArchiveEnd = [0x50, 0x4B, 0x05, 0x06];
    private const int ArchiveTail = 65_535 + 22;

    private static readonly System.Buffers.SearchValues<byte> Padding = System.Buffers.SearchValues.Create([0x00, 0xFF, (byte)'\r', (byte)'\n']);

    private static readonly string[] ActivePdfNames =
        ["/JavaScript", "/JS", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/AA", "/RichMedia", "/XFA", "/SubmitForm", "/ImportData"];

    /// <summary>Null when the file is only what its type says; otherwise the message for the applicant.</summary>
    public static string? Problem(byte[] content, string contentType)
    {
        if (contentType == "application/pdf")
        {
            return PdfProblem(content);
        }

        if (ContainsMarkup(content) || ContainsArchive(content))
        {
            return "图片中夹带了网页、脚本或压缩包内容，请上传直接拍摄或扫描的图片";
        }

        var end = contentType == "image/png" ? PngEnd(content) : JpegEnd(content, 0);
        return end is { } e && !TrailerIsHarmless(content, e)
            ? "图片文件末尾附带了其他数据，请重新导出或拍摄后上传"
            : null;
    }

    /// <summary>Where a PNG's IEND chunk ends; null when the file stops before it (truncated, refused elsewhere or not at all).</summary>
    private static int? PngEnd(byte[] data)
    {
        var pos = 8;
        while (pos + 12 <= data.Length)
        {
            var length = (data[pos] << 24) | (data[pos + 1] << 16) | (data[pos + 2] << 8) | data[pos + 3];
            if (length < 0 || pos + 12L + length > data.Length)
            {
                return null;
            }

            var isEnd = data[pos + 4] == 'I' && data[pos + 5] == 'E' && data[pos + 6] == 'N' && data[pos + 7] == 'D';
            pos += 12 + length;
            if (isEnd)
            {
                return pos;
            }
        }

        return null;
    }

    /// <summary>Where a JPEG's EOI marker ends, walking segments so a thumbnail's own EOI inside APP1 is skipped.</summary>
    private static int? JpegEnd(byte[] data, int start)
    {
        var pos = start + 2;
        while (pos + 1 < data.Length)
        {
            if (data[pos] != 0xFF)
            {
                return null;
            }

            var marker = data[pos + 1];
            if (marker == 0xFF)
            {
                pos++;  // fill byte
                continue;
            }

            if (marker == 0xD9)
            {
                return pos + 2;
            }

            if (marker is >= 0xD0 and <= 0xD7 or 0x01)
            {
                pos += 2;
                continue;
            }

            if (pos + 3 >= data.Length)
            {
                return null;
            }

            pos += 2 + ((data[pos + 2] << 8) | data[pos + 3]);
            if (marker != 0xDA)
            {
                continue;
            }

            // Entropy-coded data: a marker is 0xFF followed by anything but a stuffed 0x00 or a restart marker.
            while (pos + 1 < data.Length && !(data[pos] == 0xFF && data[pos + 1] is not (0x00 or >= 0xD0 and <= 0xD7)))
            {
                pos++;
            }
        }

        return null;
    }

    /// <summary>Padding, or further JPEG frames (multi-picture photos from phones) that end cleanly themselves.</summary>
    private static bool TrailerIsHarmless(byte[] data, int end)
    {
        for (var depth = 0; depth < 8; depth++)
        {
            var rest = data.AsSpan(end);
            if (rest.IndexOfAnyExcept(Padding) < 0)
            {
                return true;
            }

            if (rest is not [0xFF, 0xD8, 0xFF, ..] || JpegEnd(data, end) is not { } next)
            {
                return false;
            }

            end = next;
        }

        return false;
    }

    private static string? PdfProblem(byte[] content)
    {
        var text = Encoding.Latin1.GetString(content);
        var found = ContainsActivePdf(text);
        if (found is not null || ContainsMarkup(content))
        {
            return $"PDF 中含有脚本、自动动作或嵌入文件等活动内容{(found is null ? "" : $"（{found.TrimStart('/')}）")}，请打印后重新扫描，或“另存为”普通 PDF 后上传";
        }

        // Names inside compressed object streams are found only once the streams are inflated.
        foreach (var stream in InflatedStreams(text))
        {
            if (ContainsActivePdf(stream) is { } hidden)
            {
                return $"PDF 中含有脚本、自动动作或嵌入文件等活动内容（{hidden.TrimStart('/')}），请打印后重新扫描，或“另存为”普通 PDF 后上传";
            }
        }

        return null;
    }

    /// <summary>The first active-content name in PDF text, with #xx escapes in names decoded (/J#61vaScript).</summary>
    private static string? ContainsActivePdf(string text)
    {
        var decoded = text.Contains('#') ? DecodeNameEscapes(text) : text;
        foreach (var name in ActivePdfNames)
        {
            var from = 0;
            while ((from = decoded.IndexOf(name, from, StringComparison.Ordinal)) >= 0)
            {
                var after = from + name.Length;
                if (after >= decoded.Length || IsDelimiter(decoded[after]))
                {
                    return name;
                }

                from = after;
            }
        }

        return null;
    }

    private static bool IsDelimiter(char c) => c is ' ' or '\t' or '\r' or '\n' or '\f' or '\0' or '/' or '<' or '>' or '[' or ']' or '(' or ')' or '{' or '}' or '%';

    private static string DecodeNameEscapes(string text)
    {
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '#' && i + 2 < text.Length && Uri.IsHexDigit(text[i + 1]) && Uri.IsHexDigit(text[i + 2]))
            {
                builder.Append((char)Convert.ToByte(text.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                builder.Append(text[i]);
            }
        }

        return builder.ToString();
    }

    /// <summary>Each stream's content inflated (FlateDecode), at most 32 MB in all, so a zip bomb cannot stall us.</summary>
    private static IEnumerable<string> InflatedStreams(string text)
    {
        long budget = 32 * 1024 * 1024;
        var from = 0;
        while (budget > 0 && (from = text.IndexOf("stream", from, StringComparison.Ordinal)) >= 0)
        {
            var start = from + "stream".Length;
            if (start < text.Length && text[start] == '\r') start++;
            if (start < text.Length && text[start] == '\n') start++;
            var end = text.IndexOf("endstream", start, StringComparison.Ordinal);
            if (end < 0)
            {
                yield break;
            }

            from = end + "endstream".Length;
            var inflated = Inflate(Encoding.Latin1.GetBytes(text[start..end]), ref budget);
            if (inflated is not null)
            {
                yield return inflated;
            }
        }
    }

    private static string? Inflate(byte[] compressed, ref long budget)
    {
        try
        {
            using var input = new ZLibStream(new MemoryStream(compressed), CompressionMode.Decompress);
            using var output = new MemoryStream();
            var buffer = new byte[81920];
            int read;
            while ((read = input.Read(buffer)) > 0 && budget > 0)
            {
                output.Write(buffer, 0, read);
                budget -= read;
            }

            return Encoding.Latin1.GetString(output.GetBuffer(), 0, (int)output.Length);
        }
        catch (InvalidDataException)
        {
            return null;  // not Flate (an image stream, say): nothing to read names from
        }
    }

    private static bool ContainsMarkup(byte[] content)
    {
        var text = Encoding.Latin1.GetString(content);
        return Markup.Any(m => text.Contains(m, StringComparison.OrdinalIgnoreCase));
    }

    private static bool ContainsArchive(byte[] content) =>
        content.AsSpan(Math.Max(0, content.Length - ArchiveTail)).IndexOf(ArchiveEnd) >= 0;
}
