using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Permits.Certificate.Features.Register;

/// <summary>A register file that cannot be read at all (not UTF-8, not a workbook): the whole file is refused with this message.</summary>
public sealed class UnreadableRegisterException(string message) : Exception(message);

/// <summary>
/// Register files as tables of text: CSV in UTF-8 (with or without a byte-order mark, RFC 4180 quoting) and XLSX (the
/// first worksheet, read and written with Microsoft's Open XML SDK, streaming, so 100,000 rows stay cheap). Every
/// cell is text; export writes licence numbers and dates as text so spreadsheet programs keep them as they are.
/// </summary>
public static class RegisterFiles
{
    public const string Csv = "csv";
    public const string Xlsx = "xlsx";

    /// <summary>The largest register file a call carries (import and export), well above a county's 100,000 licences.</summary>
    public const int MaxFileBytes = 64 * 1024 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>csv or xlsx from the file name; null for anything else.</summary>
    public static string? FormatOf(string fileName) => Path.GetExtension(fileName.Trim()).ToLowerInvariant() switch
    {
        ".csv" => Csv,
        ".xlsx" => Xlsx,
        _ => null,
    };

    public static List<string[]> Read(byte[] content, string format) => format == Xlsx ? ReadXlsx(content) : ReadCsv(content);

    public static byte[] Write(IEnumerable<IReadOnlyList<string>> rows, string format) => format == Xlsx ? WriteXlsx(rows) : WriteCsv(rows);

    public static string ContentType(string format) => format == Xlsx
        ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        : "text/csv; charset=utf-8";

    private static List<string[]> ReadCsv(byte[] content)
    {
        string text;
        try
        {
            var bom = content.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? 3 : 0;
            text = StrictUtf8.GetString(content, bom, content.Length - bom);
        }
        catch (DecoderFallbackException)
        {
            throw new UnreadableRegisterException("文件不是 UTF-8 编码的 CSV，请另存为“CSV UTF-8”后再导入");
        }

        var rows = new List<string[]>();
        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"' && cell.Length == 0)
            {
                quoted = true;
            }
            else if (c == ',')
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else if (c is '\r' or '\n')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                EndRow();
            }
            else
            {
                cell.Append(c);
            }
        }

        if (cell.Length > 0 || cells.Count > 0)
        {
            EndRow();
        }

        return rows;

        void EndRow()
        {
            cells.Add(cell.ToString());
            cell.Clear();
            rows.Add([.. cells]);
            cells.Clear();
        }
    }

    private static byte[] WriteCsv(IEnumerable<IReadOnlyList<string>> rows)
    {
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            text.AppendJoin(',', row.Select(Quote)).Append("\r\n");
        }

        return [.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes(text.ToString())];

        static string Quote(string cell) =>
            cell.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{cell.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : cell;
    }

    private static List<string[]> ReadXlsx(byte[] content)
    {
        try
        {
            using var stream = new MemoryStream(content, writable: false);
            using var document = SpreadsheetDocument.Open(stream, false);
            var workbook = document.WorkbookPart ?? throw new UnreadableRegisterException("工作簿中没有工作表");
            var shared = workbook.SharedStringTablePart?.SharedStringTable.Elements<SharedStringItem>().Select(i => i.InnerText).ToArray() ?? [];
            var firstSheet = workbook.Workbook.Sheets?.Elements<Sheet>().FirstOrDefault()?.Id?.Value
                             ?? throw new UnreadableRegisterException("工作簿中没有工作表");
            var sheet = (WorksheetPart)workbook.GetPartById(firstSheet);
            var rows = new List<string[]>();
            using var reader = OpenXmlReader.Create(sheet);
            while (reader.Read())
            {
                if (reader.ElementType == typeof(Row) && reader.IsStartElement)
                {
                    var row = (Row)reader.LoadCurrentElement()!;
                    var cells = new List<string>();
                    foreach (var cell in row.Elements<Cell>())
                    {
                        var column = ColumnOf(cell.CellReference?.Value) ?? cells.Count;
                        while (cells.Count < column)
                        {
                            cells.Add("");
                        }

                        cells.Add(TextOf(cell, shared));
                    }

                    var number = (int?)row.RowIndex?.Value ?? rows.Count + 1;
                    while (rows.Count < number - 1)
                    {
                        rows.Add([]);  // a blank row the file left out keeps the rows' numbers
                    }

                    rows.Add([.. cells]);
                }
            }

            return rows;
        }
        catch (Exception error) when (error is OpenXmlPackageException or InvalidDataException or FileFormatException or System.Xml.XmlException)
        {
            throw new UnreadableRegisterException("文件不是有效的 XLSX 工作簿");
        }
    }

    private static string TextOf(Cell cell, string[] shared)
    {
        var value = cell.CellValue?.Text ?? "";
        if (cell.DataType?.Value == CellValues.SharedString)
        {
            return int.TryParse(value, out var index) && index >= 0 && index < shared.Length ? shared[index] : "";
        }

        if (cell.DataType?.Value == CellValues.InlineString)
        {
            return cell.InlineString?.InnerText ?? "";
        }

        return value;
    }

    /// <summary>The zero-based column of a reference like C12, or null when the cell has none.</summary>
    private static int? ColumnOf(string? reference)
    {
        if (string.IsNullOrEmpty(reference))
        {
            return null;
        }

        var column = 0;
        foreach (var c in reference.TakeWhile(char.IsAsciiLetter))
        {
            column = column * 26 + (char.ToUpperInvariant(c) - 'A' + 1);
        }

        return column - 1;
    }

    private static byte[] WriteXlsx(IEnumerable<IReadOnlyList<string>> rows)
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            var sheetPart = workbook.AddNewPart<WorksheetPart>();
            using (var writer = OpenXmlWriter.Create(sheetPart))
            {
                writer.WriteStartElement(new Worksheet());
                writer.WriteStartElement(new SheetData());
                foreach (var row in rows)
                {
                    writer.WriteStartElement(new Row());
                    foreach (var text in row)
                    {
                        writer.WriteElement(new Cell(new InlineString(new Text(text))) { DataType = CellValues.InlineString });
                    }

                    writer.WriteEndElement();
                }

                writer.WriteEndElement();
                writer.WriteEndElement();
            }

            workbook.Workbook.AppendChild(new Sheets(new Sheet
            {
                Id = workbook.GetIdOfPart(sheetPart),
                SheetId = 1,
                Name = "许可证登记簿",
            }));
            workbook.Workbook.Save();
        }

        return stream.ToArray();
    }
}
