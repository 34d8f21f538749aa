using System.Buffers.Binary;
using SkiaSharp;

namespace Permits.Documents;

/// <summary>
/// A glyph subset of a TrueType (glyf-outline) font, for embedding in a PDF. SkiaSharp's native build for Linux has no
/// font subsetter (Skia's PDF backend subsets only through HarfBuzz's, which that build leaves out), so it embeds
/// whatever font file it is given: the 5 MB CJK font made every licence PDF about 2.3 MB. This keeps every glyph id
/// as it is and empties the outlines of the glyphs the page does not draw, so the text in the PDF still maps to the
/// same glyph ids; the cmap maps only the characters drawn (Skia derives the PDF's Unicode map from it) and the
/// other glyphs' metrics are zero; vertical metrics, Apple's obsolete 'mort' table and the names beyond the font's own
/// (its licence text) are dropped. Each document compresses its font again, so what is left out is CPU saved.
/// Fonts it cannot read this way (a collection, CFF outlines) come back unchanged: bigger, never broken.
/// </summary>
public sealed class TrueTypeSubset
{
    private static readonly HashSet<string> Dropped = new(StringComparer.Ordinal) { "vhea", "vmtx", "mort", "morx", "DSIG", "hdmx", "LTSH", "VDMX" };

    private readonly Dictionary<string, byte[]> _tables;
    private readonly SKData _font;
    private readonly int _glyfOffset;
    private readonly int _glyfLength;
    private readonly int _glyphCount;
    private readonly bool _longOffsets;

    private TrueTypeSubset(Dictionary<string, byte[]> tables, SKData font, int glyfOffset, int glyfLength, int glyphCount, bool longOffsets)
    {
        _tables = tables;
        if (tables.TryGetValue("name", out var name))
        {
            tables["name"] = NamesOnly(name);
        }

        _font = font;
        _glyfOffset = glyfOffset;
        _glyfLength = glyfLength;
        _glyphCount = glyphCount;
        _longOffsets = longOffsets;
    }

    /// <summary>
    /// The font's tables, or null when it is not a single TrueType font with glyf outlines. The outlines (5 MB of the
    /// CJK font's 5.2) are read where they lie in <paramref name="font"/>, the file as mapped for the whole typeface
    /// (<see cref="SKData.Create(string)"/>), which the subsetter keeps for the life of the process as the typeface
    /// does: a second mapping of the file, though it shares the page cache, counted the pages read through it in the
    /// process's resident memory again (4 MB for Certificate), and a managed copy would stay on the heap.
    /// </summary>
    public static TrueTypeSubset? TryRead(SKData font)
    {
        var file = font.AsSpan();
        if (file.Length < 12 || BinaryPrimitives.ReadUInt32BigEndian(file) is not (0x00010000 or 0x74727565))
        {
            return null;
        }

        var count = BinaryPrimitives.ReadUInt16BigEndian(file[4..]);
        var tables = new Dictionary<string, (int Offset, int Length)>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            if (12 + 16 * (i + 1) > file.Length)
            {
                return null;
            }

            var entry = file.Slice(12 + 16 * i, 16);
            var tag = System.Text.Encoding.ASCII.GetString(entry[..4]);
            var offset = (int)BinaryPrimitives.ReadUInt32BigEndian(entry[8..]);
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(entry[12..]);
            if (offset < 0 || length < 0 || (long)offset + length > file.Length)
            {
                return null;
            }

            tables[tag] = (offset, length);
        }

        if (!tables.TryGetValue("glyf", out var glyf) || glyf.Length == 0 || !tables.ContainsKey("loca") ||
            !tables.TryGetValue("head", out var head) || !tables.TryGetValue("maxp", out var maxp) || head.Length < 54 || maxp.Length < 6)
        {
            return null;
        }

        var glyphCount = BinaryPrimitives.ReadUInt16BigEndian(file[(maxp.Offset + 4)..]);
        var longOffsets = BinaryPrimitives.ReadInt16BigEndian(file[(head.Offset + 50)..]) == 1;
        var kept = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (tag, (offset, length)) in tables)
        {
            if (tag != "glyf" && !Dropped.Contains(tag))
            {
                kept[tag] = file.Slice(offset, length).ToArray();
            }
        }

        return new TrueTypeSubset(kept, font, glyf.Offset, glyf.Length, glyphCount, longOffsets);
    }

    private byte[] Outline(int start, int length) => _font.AsSpan().Slice(_glyfOffset + start, length).ToArray();

    /// <summary>
    /// A font file with the outlines of the glyphs of <paramref name="characters"/> (character → glyph id in this font;
    /// and .notdef, and composite parts) only, its cmap mapping those characters alone; the caller disposes it.
    /// </summary>
    public SKData Keep(IReadOnlyDictionary<int, ushort> characters)
    {
        // Each kept outline is read from the file once: for its composite parts, then copied into the new glyf.
        var outlines = new SortedDictionary<int, byte[]>();
        var pending = new Stack<int>(characters.Values.Select(g => (int)g).Where(g => g < _glyphCount).Append(0));
        while (pending.TryPop(out var glyph))
        {
            if (outlines.ContainsKey(glyph))
            {
                continue;
            }

            var (start, length) = GlyphRange(glyph);
            var outline = Outline(start, length);
            outlines[glyph] = outline;
            foreach (var part in ComponentsOf(outline))
            {
                if (part < _glyphCount && !outlines.ContainsKey(part))
                {
                    pending.Push(part);
                }
            }
        }

        // Short loca offsets (half the size) when the kept outlines fit in 128 KB, as they do for a licence or a report.
        var glyf = new byte[outlines.Values.Sum(o => (o.Length + 3) & ~3)];
        var shortOffsets = glyf.Length < 0x20000;
        var loca = new byte[(_glyphCount + 1) * (shortOffsets ? 2 : 4)];
        var at = 0;
        var next = 0;
        foreach (var (glyph, outline) in outlines)
        {
            for (; next <= glyph; next++)
            {
                WriteOffset(loca, next, at, shortOffsets);
            }

            outline.CopyTo(glyf, at);
            at += (outline.Length + 3) & ~3;
        }

        for (; next <= _glyphCount; next++)
        {
            WriteOffset(loca, next, at, shortOffsets);
        }

        // The outlines and their offsets are the new ones: copying the old (5 MB of glyf in the CJK font) only to
        // replace them made every document allocate the whole font on the large object heap. The tables kept as they
        // are (the names already cut, see NamesOnly) are shared by every subset, not copied: Write only reads them.
        var tables = new SortedDictionary<string, byte[]>(_tables, StringComparer.Ordinal)
        {
            ["glyf"] = glyf,
            ["loca"] = loca,
        };
        if (CmapOf(characters) is { } cmap)
        {
            tables["cmap"] = cmap;
        }

        if (tables.TryGetValue("hmtx", out var hmtx) && tables.TryGetValue("hhea", out var hhea) && hhea.Length >= 36)
        {
            tables["hmtx"] = MetricsOf(hmtx, BinaryPrimitives.ReadUInt16BigEndian(hhea.AsSpan(34)), outlines);
        }

        var head = (byte[])tables["head"].Clone();
        BinaryPrimitives.WriteInt16BigEndian(head.AsSpan(50), (short)(shortOffsets ? 0 : 1));
        BinaryPrimitives.WriteUInt32BigEndian(head.AsSpan(8), 0);
        tables["head"] = head;
        return Write(tables);
    }

    private static void WriteOffset(byte[] loca, int glyph, int offset, bool shortOffsets)
    {
        if (shortOffsets)
        {
            BinaryPrimitives.WriteUInt16BigEndian(loca.AsSpan(glyph * 2), (ushort)(offset / 2));
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(loca.AsSpan(glyph * 4), (uint)offset);
        }
    }

    /// <summary>
    /// The font's names (family, style, full and PostScript name, copyright, version: ids 0–6, as fontTools' subsetter
    /// keeps by default) without the rest: the CJK font's licence text alone is 41 KB that every document compressed
    /// again, most of a document's CPU time. A name table in another format comes back as it was.
    /// </summary>
    private static byte[] NamesOnly(byte[] name)
    {
        if (name.Length < 6 || BinaryPrimitives.ReadUInt16BigEndian(name) != 0)
        {
            return name;
        }

        var count = BinaryPrimitives.ReadUInt16BigEndian(name.AsSpan(2));
        var storage = BinaryPrimitives.ReadUInt16BigEndian(name.AsSpan(4));
        if (6 + count * 12 > name.Length || storage > name.Length)
        {
            return name;
        }

        var kept = new List<(byte[] Record, int Offset, int Length)>();
        for (var i = 0; i < count; i++)
        {
            var record = name.AsSpan(6 + i * 12, 12);
            var length = BinaryPrimitives.ReadUInt16BigEndian(record[8..]);
            var offset = BinaryPrimitives.ReadUInt16BigEndian(record[10..]);
            if (BinaryPrimitives.ReadUInt16BigEndian(record[6..]) <= 6 && storage + offset + length <= name.Length)
            {
                kept.Add((record.ToArray(), storage + offset, length));
            }
        }

        var output = new byte[6 + kept.Count * 12 + kept.Sum(k => k.Length)];
        BinaryPrimitives.WriteUInt16BigEndian(output.AsSpan(2), (ushort)kept.Count);
        BinaryPrimitives.WriteUInt16BigEndian(output.AsSpan(4), (ushort)(6 + kept.Count * 12));
        var at = 0;
        for (var i = 0; i < kept.Count; i++)
        {
            var (record, offset, length) = kept[i];
            BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(10), (ushort)at);
            record.CopyTo(output, 6 + i * 12);
            name.AsSpan(offset, length).CopyTo(output.AsSpan(6 + kept.Count * 12 + at));
            at += length;
        }

        return output;
    }

    /// <summary>
    /// A cmap with one Unicode BMP subtable (format 4) mapping <paramref name="characters"/> alone: a segment per run of
    /// consecutive characters with consecutive glyph ids. Null (the font's own cmap stays) when one lies beyond the BMP.
    /// </summary>
    private byte[]? CmapOf(IReadOnlyDictionary<int, ushort> characters)
    {
        var mapped = characters.Where(c => c.Value != 0 && c.Value < _glyphCount).OrderBy(c => c.Key).ToList();
        if (mapped.Any(c => c.Key is < 0 or >= 0xFFFF))
        {
            return null;
        }

        var segments = new List<(int Start, int End, int Glyph)>();
        foreach (var (code, glyph) in mapped)
        {
            if (segments.Count > 0 && segments[^1] is var last && last.End == code - 1 && last.Glyph + code - last.Start == glyph)
            {
                segments[^1] = last with { End = code };
            }
            else
            {
                segments.Add((code, code, glyph));
            }
        }

        // The closing segment every format 4 table ends with: 0xFFFF to glyph 0.
        segments.Add((0xFFFF, 0xFFFF, 0));
        var count = segments.Count;
        var (power, log) = SearchRange(count);

        var length = 16 + count * 8;
        var cmap = new byte[12 + length];
        BinaryPrimitives.WriteUInt16BigEndian(cmap.AsSpan(2), 1);
        BinaryPrimitives.WriteUInt16BigEndian(cmap.AsSpan(4), 3);
        BinaryPrimitives.WriteUInt16BigEndian(cmap.AsSpan(6), 1);
        BinaryPrimitives.WriteUInt32BigEndian(cmap.AsSpan(8), 12);
        var table = cmap.AsSpan(12);
        BinaryPrimitives.WriteUInt16BigEndian(table, 4);
        BinaryPrimitives.WriteUInt16BigEndian(table[2..], (ushort)length);
        BinaryPrimitives.WriteUInt16BigEndian(table[6..], (ushort)(count * 2));
        BinaryPrimitives.WriteUInt16BigEndian(table[8..], (ushort)(power * 2));
        BinaryPrimitives.WriteUInt16BigEndian(table[10..], (ushort)log);
        BinaryPrimitives.WriteUInt16BigEndian(table[12..], (ushort)((count - power) * 2));
        for (var i = 0; i < count; i++)
        {
            var (start, end, glyph) = segments[i];
            BinaryPrimitives.WriteUInt16BigEndian(table[(14 + i * 2)..], (ushort)end);
            BinaryPrimitives.WriteUInt16BigEndian(table[(16 + count * 2 + i * 2)..], (ushort)start);
            BinaryPrimitives.WriteUInt16BigEndian(table[(16 + count * 4 + i * 2)..], unchecked((ushort)(glyph - start)));
        }

        return cmap;
    }

    /// <summary>
    /// The font's horizontal metrics with the advance and side bearing of every glyph not kept zeroed. The last full
    /// metric stays: glyphs after it take its advance.
    /// </summary>
    private byte[] MetricsOf(byte[] hmtx, int fullMetrics, IDictionary<int, byte[]> keep)
    {
        var metrics = new byte[hmtx.Length];
        var listed = Math.Min(hmtx.Length, Math.Min(fullMetrics, _glyphCount) * 4 + Math.Max(0, _glyphCount - fullMetrics) * 2);
        hmtx.AsSpan(listed).CopyTo(metrics.AsSpan(listed));
        foreach (var glyph in keep.Keys.Append(fullMetrics - 1))
        {
            if (glyph < 0 || glyph >= _glyphCount)
            {
                continue;
            }

            var (offset, size) = glyph < fullMetrics ? (glyph * 4, 4) : (fullMetrics * 4 + (glyph - fullMetrics) * 2, 2);
            if (offset + size <= hmtx.Length)
            {
                hmtx.AsSpan(offset, size).CopyTo(metrics.AsSpan(offset));
            }
        }

        return metrics;
    }

    private (int Start, int Length) GlyphRange(int glyph)
    {
        var loca = _tables["loca"].AsSpan();
        var size = _longOffsets ? 4 : 2;
        if ((glyph + 2) * size > loca.Length)
        {
            return (0, 0);
        }

        int start, end;
        if (_longOffsets)
        {
            start = (int)BinaryPrimitives.ReadUInt32BigEndian(loca[(glyph * 4)..]);
            end = (int)BinaryPrimitives.ReadUInt32BigEndian(loca[((glyph + 1) * 4)..]);
        }
        else
        {
            start = BinaryPrimitives.ReadUInt16BigEndian(loca[(glyph * 2)..]) * 2;
            end = BinaryPrimitives.ReadUInt16BigEndian(loca[((glyph + 1) * 2)..]) * 2;
        }

        return end <= start || start >= _glyfLength ? (0, 0) : (start, Math.Min(end, _glyfLength) - start);
    }

    /// <summary>The glyphs a composite glyph is built from (none for a simple or empty glyph).</summary>
    private static IEnumerable<int> ComponentsOf(byte[] data)
    {
        if (data.Length < 10 || BinaryPrimitives.ReadInt16BigEndian(data) >= 0)
        {
            yield break;
        }

        const int Words = 0x0001, Scale = 0x0008, More = 0x0020, XyScale = 0x0040, TwoByTwo = 0x0080;
        var at = 10;
        while (at + 4 <= data.Length)
        {
            var flags = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(at));
            yield return BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(at + 2));
            at += 4 + ((flags & Words) != 0 ? 4 : 2);
            at += (flags & Scale) != 0 ? 2 : (flags & XyScale) != 0 ? 4 : (flags & TwoByTwo) != 0 ? 8 : 0;
            if ((flags & More) == 0)
            {
                yield break;
            }
        }
    }

    /// <summary>
    /// The font file, written straight into native memory for the typeface Skia makes of it: a managed copy (over the
    /// 85 KB of the large object heap for a page of Chinese) was made per document only to be copied again.
    /// </summary>
    private static SKData Write(SortedDictionary<string, byte[]> tables)
    {
        var count = tables.Count;
        var (power, log) = SearchRange(count);

        var headerLength = 12 + 16 * count;
        var total = headerLength + tables.Values.Sum(t => (t.Length + 3) & ~3);
        var file = SKData.Create(total);
        var output = file.Span;
        output.Clear();
        BinaryPrimitives.WriteUInt32BigEndian(output, 0x00010000);
        BinaryPrimitives.WriteUInt16BigEndian(output[4..], (ushort)count);
        BinaryPrimitives.WriteUInt16BigEndian(output[6..], (ushort)(power * 16));
        BinaryPrimitives.WriteUInt16BigEndian(output[8..], (ushort)log);
        BinaryPrimitives.WriteUInt16BigEndian(output[10..], (ushort)(count * 16 - power * 16));
        var entry = 12;
        var offset = headerLength;
        var headOffset = -1;
        foreach (var (tag, data) in tables)
        {
            System.Text.Encoding.ASCII.GetBytes(tag, output.Slice(entry, 4));
            BinaryPrimitives.WriteUInt32BigEndian(output[(entry + 4)..], Checksum(data));
            BinaryPrimitives.WriteUInt32BigEndian(output[(entry + 8)..], (uint)offset);
            BinaryPrimitives.WriteUInt32BigEndian(output[(entry + 12)..], (uint)data.Length);
            data.CopyTo(output[offset..]);
            if (tag == "head")
            {
                headOffset = offset;
            }

            entry += 16;
            offset += (data.Length + 3) & ~3;
        }

        // head.checkSumAdjustment makes the whole file sum to 0xB1B0AFBA (OpenType spec).
        BinaryPrimitives.WriteUInt32BigEndian(output[(headOffset + 8)..], unchecked(0xB1B0AFBA - Checksum(output)));
        return file;
    }

    /// <summary>The largest power of two not above <paramref name="count"/> and its log2, as binary-search headers hold them.</summary>
    private static (int Power, int Log) SearchRange(int count)
    {
        var power = 1;
        var log = 0;
        while (power * 2 <= count)
        {
            power *= 2;
            log++;
        }

        return (power, log);
    }

    private static uint Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        var whole = data.Length & ~3;
        for (var i = 0; i < whole; i += 4)
        {
            sum = unchecked(sum + BinaryPrimitives.ReadUInt32BigEndian(data[i..]));
        }

        if (whole < data.Length)
        {
            Span<byte> last = stackalloc byte[4];
            last.Clear();
            data[whole..].CopyTo(last);
            sum = unchecked(sum + BinaryPrimitives.ReadUInt32BigEndian(last));
        }

        return sum;
    }
}
