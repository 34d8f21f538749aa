using Permits.Contracts.Disclosure.V1;
using SkiaSharp;

namespace Permits.Disclosure.Reports;

/// <summary>
/// The report as a PDF (A4 portrait, Chinese) laid out like the template: title, the six sections, bordered tables
/// with the template's spans, page numbers. Drawn with SkiaSharp's PDF backend; the CJK font is embedded as a subset.
/// </summary>
public static class ReportPdf
{
    private const float PageWidth = 595;
    private const float PageHeight = 842;
    private const float Margin = 56;
    private const float Bottom = PageHeight - 60;
    private const float ContentWidth = PageWidth - 2 * Margin;

    public static byte[] Render(PublishedReport published, IConfiguration configuration)
    {
        var report = published.Report;
        var blocks = ReportLayout.Blocks(report);
        var versionLine = $"（第 {published.Version} 版）";
        var noteLine = "更正说明：" + published.CorrectionNote;
        var (typeface, owned) = ReportFont.Load(configuration).For(blocks.Select(Text).Concat([versionLine, noteLine, "— 0123456789 —　"]));
        try
        {
            return Render(published, blocks, versionLine, noteLine, typeface);
        }
        finally
        {
            if (owned)
            {
                typeface.Dispose();
            }
        }
    }

    private static string Text(ReportLayout.Block block) => block switch
    {
        ReportLayout.Title title => title.Text,
        ReportLayout.Heading heading => heading.Text,
        ReportLayout.Paragraph paragraph => paragraph.Text,
        ReportLayout.Grid grid => string.Concat(grid.Cells.Select(c => c.Text)),
        _ => "",
    };

    private static byte[] Render(
        PublishedReport published, IReadOnlyList<ReportLayout.Block> blocks, string versionLine, string noteLine, SKTypeface typeface)
    {
        var report = published.Report;
        using var output = new MemoryStream();
        using (var document = SKDocument.CreatePdf(output, new SKDocumentPdfMetadata
        {
            Title = report.Title,
            Subject = $"{ReportTemplate.TemplateReference} 第 {published.Version} 版 SHA-256 {published.ContentHash}",
            Creator = "Permits",
            Producer = "Permits",
        }))
        {
            using var writer = new Writer(document, typeface);
            for (var index = 0; index < blocks.Count; index++)
            {
                var block = blocks[index];
                switch (block)
                {
                    case ReportLayout.Title title:
                        writer.Centered(title.Text, 18, 30);
                        writer.Centered(versionLine, 10, 20);
                        if (published.CorrectionNote.Length > 0)
                        {
                            writer.Text(noteLine, 10, 16, indent: false);
                        }

                        writer.Space(8);
                        break;
                    case ReportLayout.Heading heading:
                        // A heading stays on the page of what follows it (the whole table, or two lines of text).
                        var next = index + 1 < blocks.Count ? blocks[index + 1] : null;
                        writer.Space(6);
                        writer.Keep(28 + (next is ReportLayout.Grid grid ? writer.Measure(grid).Sum() + 6 : 38));
                        writer.Text(heading.Text, 13, 22, indent: false);
                        break;
                    case ReportLayout.Paragraph paragraph:
                        writer.Text(paragraph.Text, 11, 19, indent: true);
                        break;
                    case ReportLayout.Grid table:
                        writer.Table(table);
                        break;
                }
            }

            writer.Finish();
            document.Close();
        }

        return output.ToArray();
    }

    /// <summary>Flows blocks down the pages, starting a new page when the next line or table does not fit.</summary>
    private sealed class Writer(SKDocument document, SKTypeface typeface) : IDisposable
    {
        private readonly SKPaint _black = new() { Color = SKColors.Black, IsAntialias = true };
        private readonly SKPaint _line = new() { Color = SKColors.Black, Style = SKPaintStyle.Stroke, StrokeWidth = 0.6f, IsAntialias = true };
        private readonly Dictionary<float, SKFont> _fonts = [];
        private SKCanvas? _canvas;
        private int _page;
        private float _y;

        private SKCanvas Canvas
        {
            get
            {
                if (_canvas is null)
                {
                    NewPage();
                }

                return _canvas!;
            }
        }

        public void Space(float height) => _y += height;

        public void Centered(string text, float size, float lineHeight)
        {
            var font = Font(size);
            foreach (var line in Wrap(text, font, ContentWidth))
            {
                Ensure(lineHeight);
                Canvas.DrawText(line, PageWidth / 2, _y + lineHeight * 0.75f, SKTextAlign.Center, font, _black);
                _y += lineHeight;
            }
        }

        public void Text(string text, float size, float lineHeight, bool indent)
        {
            var font = Font(size);
            var first = indent ? font.MeasureText("　　") : 0;
            var lines = Wrap(text, font, ContentWidth, first);
            for (var i = 0; i < lines.Count; i++)
            {
                Ensure(lineHeight);
                Canvas.DrawText(lines[i], Margin + (i == 0 ? first : 0), _y + lineHeight * 0.75f, SKTextAlign.Left, font, _black);
                _y += lineHeight;
            }
        }

        private const float CellLineHeight = 11;
        private const float CellPadding = 3;

        /// <summary>Starts a new page unless this much still fits on the current one.</summary>
        public void Keep(float height) => Ensure(height);

        /// <summary>Each row's height: the most lines any of its cells wraps to (row spans stretch their last row).</summary>
        public float[] Measure(ReportLayout.Grid grid)
        {
            var font = CellFont(grid);
            var x = Columns(grid);
            float Needed(ReportLayout.Cell c) => Wrap(c.Text, font, CellWidth(x, c)).Count * CellLineHeight + 2 * CellPadding;
            var heights = new float[grid.Rows];
            for (var r = 0; r < grid.Rows; r++)
            {
                heights[r] = grid.Cells.Where(c => c.Row == r && c.RowSpan == 1).Select(Needed).DefaultIfEmpty(16).Max();
                heights[r] = Math.Max(heights[r], 16);
            }

            foreach (var cell in grid.Cells.Where(c => c.RowSpan > 1))
            {
                var spanned = heights.Skip(cell.Row).Take(cell.RowSpan).Sum();
                var needed = Needed(cell);
                if (needed > spanned)
                {
                    heights[cell.Row + cell.RowSpan - 1] += needed - spanned;
                }
            }

            return heights;
        }

        public void Table(ReportLayout.Grid grid)
        {
            var font = CellFont(grid);
            var x = Columns(grid);
            const float lineHeight = CellLineHeight;
            const float padding = CellPadding;
            var heights = Measure(grid);
            var tableHeight = heights.Sum();
            Ensure(tableHeight + 6);
            var top = new float[grid.Rows + 1];
            top[0] = _y;
            for (var r = 0; r < grid.Rows; r++)
            {
                top[r + 1] = top[r] + heights[r];
            }

            foreach (var cell in grid.Cells)
            {
                var rect = new SKRect(x[cell.Column], top[cell.Row], x[cell.Column + cell.ColumnSpan], top[cell.Row + cell.RowSpan]);
                Canvas.DrawRect(rect, _line);
                var lines = Wrap(cell.Text, font, CellWidth(x, cell));
                var textTop = rect.MidY - lines.Count * lineHeight / 2;
                for (var i = 0; i < lines.Count; i++)
                {
                    var baseline = textTop + i * lineHeight + lineHeight * 0.78f;
                    if (cell.RowHeader && cell.RowSpan == 1 && grid.Widths.Length == 10)
                    {
                        Canvas.DrawText(lines[i], rect.Left + padding, baseline, SKTextAlign.Left, font, _black);
                    }
                    else
                    {
                        Canvas.DrawText(lines[i], rect.MidX, baseline, SKTextAlign.Center, font, _black);
                    }
                }
            }

            _y = top[grid.Rows] + 8;
        }

        private SKFont CellFont(ReportLayout.Grid grid) => Font(grid.Widths.Length > 10 ? 7.5f : 8.5f);

        private static float[] Columns(ReportLayout.Grid grid)
        {
            var total = grid.Widths.Sum();
            var x = new float[grid.Widths.Length + 1];
            x[0] = Margin;
            for (var i = 0; i < grid.Widths.Length; i++)
            {
                x[i + 1] = x[i] + ContentWidth * grid.Widths[i] / total;
            }

            return x;
        }

        private static float CellWidth(float[] x, ReportLayout.Cell cell) => x[cell.Column + cell.ColumnSpan] - x[cell.Column] - 2 * CellPadding;

        public void Finish()
        {
            if (_canvas is not null)
            {
                EndPage();
            }
        }

        public void Dispose()
        {
            _black.Dispose();
            _line.Dispose();
            foreach (var font in _fonts.Values)
            {
                font.Dispose();
            }
        }

        private void Ensure(float height)
        {
            if (_canvas is null || _y + height > Bottom)
            {
                if (_canvas is not null)
                {
                    EndPage();
                }

                NewPage();
            }
        }

        private void NewPage()
        {
            _canvas = document.BeginPage(PageWidth, PageHeight);
            _page++;
            _y = 60;
        }

        private void EndPage()
        {
            _canvas!.DrawText($"— {_page} —", PageWidth / 2, PageHeight - 30, SKTextAlign.Center, Font(9), _black);
            document.EndPage();
            _canvas = null;
        }

        private SKFont Font(float size)
        {
            if (!_fonts.TryGetValue(size, out var font))
            {
                font = new SKFont(typeface, size);
                _fonts[size] = font;
            }

            return font;
        }

        private const string ClosingPunctuation = "，。、；：？！）》」』”’〕】,.;:?!)";

        /// <summary>Breaks text into lines no wider than the width (Chinese breaks between any two characters).</summary>
        private static List<string> Wrap(string text, SKFont font, float width, float firstIndent = 0)
        {
            var lines = new List<string>();
            var start = 0;
            var available = width - firstIndent;
            while (start < text.Length)
            {
                var end = start + 1;
                while (end < text.Length && font.MeasureText(text.AsSpan(start, end + 1 - start)) <= available)
                {
                    end++;
                }

                // 避头: closing punctuation never starts a line; it hangs at the end of the line before.
                while (end < text.Length && ClosingPunctuation.Contains(text[end]))
                {
                    end++;
                }

                lines.Add(text[start..end]);
                start = end;
                available = width;
            }

            if (lines.Count == 0)
            {
                lines.Add("");
            }

            return lines;
        }
    }
}
