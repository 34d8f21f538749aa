using System.Globalization;
using Permits.Contracts.Disclosure.V1;

namespace Permits.Disclosure.Reports;

/// <summary>
/// The report as the template lays it out: headings, paragraphs and tables (cells with row and column spans). The
/// HTML and PDF renderers both draw this, so the two outputs cannot drift apart.
/// </summary>
public static class ReportLayout
{
    public static IReadOnlyList<Block> Blocks(AnnualReport report)
    {
        var blocks = new List<Block> { new Title(report.Title) };
        blocks.Add(new Heading("一、总体情况"));
        blocks.AddRange(Paragraphs(report.Overview));
        blocks.Add(new Heading("二、主动公开政府信息情况"));
        blocks.AddRange(ActiveTables(report.Active ?? new ActiveDisclosure()));
        blocks.Add(new Heading("三、收到和处理政府信息公开申请情况"));
        blocks.Add(RequestGrid(report.Requests ?? new RequestTable()));
        blocks.Add(new Heading("四、政府信息公开行政复议、行政诉讼情况"));
        blocks.Add(AppealGrid(report.Appeals ?? new AppealTable()));
        blocks.Add(new Heading("五、存在的主要问题及改进情况"));
        blocks.AddRange(Paragraphs(report.Problems));
        blocks.Add(new Heading("六、其他需要报告的事项"));
        blocks.AddRange(Paragraphs(report.OtherMatters.Trim().Length == 0 ? "无" : report.OtherMatters));
        return blocks;
    }

    private static IEnumerable<Block> Paragraphs(string text) =>
        text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Length > 0)
            .Select(line => (Block)new Paragraph(line));

    private static IEnumerable<Grid> ActiveTables(ActiveDisclosure active)
    {
        var rules = active.Rules ?? new DocumentRow();
        var normative = active.NormativeDocuments ?? new DocumentRow();
        yield return Simple("第二十条第（一）项", ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
        [
            ["规章", N(rules.NewlyMade), N(rules.NewlyPublished), N(rules.TotalPublished)],
            ["规范性文件", N(normative.NewlyMade), N(normative.NewlyPublished), N(normative.TotalPublished)],
        ]);
        var licensing = active.Licensing ?? new ItemRow();
        var other = active.OtherServices ?? new ItemRow();
        yield return Simple("第二十条第（五）项", ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
        [
            ["行政许可", N(licensing.PreviousYearItems), N(licensing.ChangeThisYear), N(licensing.Decisions)],
            ["其他对外管理服务事项", N(other.PreviousYearItems), N(other.ChangeThisYear), N(other.Decisions)],
        ]);
        var penalties = active.Penalties ?? new ItemRow();
        var enforcement = active.Enforcement ?? new ItemRow();
        yield return Simple("第二十条第（六）项", ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
        [
            ["行政处罚", N(penalties.PreviousYearItems), N(penalties.ChangeThisYear), N(penalties.Decisions)],
            ["行政强制", N(enforcement.PreviousYearItems), N(enforcement.ChangeThisYear), N(enforcement.Decisions)],
        ]);
        var fees = active.Fees ?? new FeeRow();
        yield return Simple("第二十条第（八）项", ["信息内容", "上一年项目数量", "本年增/减"],
        [
            ["行政事业性收费", N(fees.PreviousYearItems), N(fees.ChangeThisYear)],
        ]);
        var procurement = active.Procurement ?? new ProcurementRow();
        yield return Simple("第二十条第（九）项", ["信息内容", "采购项目数量", "采购总金额（万元）"],
        [
            ["政府集中采购", N(procurement.Items), procurement.TotalAmount.Length == 0 ? "0" : procurement.TotalAmount],
        ]);
    }

    private static Grid Simple(string caption, string[] header, string[][] rows)
    {
        var cells = new List<Cell> { new(0, 0, 1, header.Length, caption, Header: true) };
        cells.AddRange(header.Select((text, column) => new Cell(1, column, 1, 1, text, Header: true)));
        for (var r = 0; r < rows.Length; r++)
        {
            cells.AddRange(rows[r].Select((text, column) => new Cell(r + 2, column, 1, 1, text, Header: column == 0, Number: column > 0, RowHeader: column == 0)));
        }

        var widths = header.Select((_, i) => i == 0 ? 2f : 1f).ToArray();
        return new Grid(caption, widths, rows.Length + 2, cells);
    }

    private static Grid RequestGrid(RequestTable table)
    {
        var cells = new List<Cell>
        {
            new(0, 0, 3, 3, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", Header: true),
            new(0, 3, 1, 7, "申请人情况", Header: true),
            new(1, 3, 2, 1, "自然人", Header: true),
            new(1, 4, 1, 5, "法人或其他组织", Header: true),
            new(1, 9, 2, 1, "总计", Header: true),
        };
        for (var i = 1; i <= 5; i++)
        {
            cells.Add(new Cell(2, 3 + i, 1, 1, ReportTemplate.Columns[i].Label, Header: true));
        }

        var row = 3;
        void Values(int at, CategoryRow? values)
        {
            var r = values ?? new CategoryRow();
            for (var c = 0; c < ReportTemplate.Columns.Count; c++)
            {
                cells.Add(new Cell(at, 3 + c, 1, 1, N(ReportTemplate.Columns[c].Cell(r)), Number: true));
            }
        }

        cells.Add(new Cell(row, 0, 1, 3, ReportTemplate.NewlyReceivedLabel, Header: true, RowHeader: true));
        Values(row++, table.NewlyReceived);
        cells.Add(new Cell(row, 0, 1, 3, ReportTemplate.CarriedOverLabel, Header: true, RowHeader: true));
        Values(row++, table.CarriedOver);

        var outcomes = table.Outcomes.ToList();
        cells.Add(new Cell(row, 0, outcomes.Count + 1, 1, "三、本年度办理结果", Header: true, RowHeader: true));
        var groups = outcomes
            .Select((o, i) => (Outcome: o, Index: i, Line: ReportTemplate.Outcomes.FirstOrDefault(l => l.Outcome.ToString() == o.Outcome)))
            .ToList();
        var i0 = 0;
        while (i0 < groups.Count)
        {
            var line = groups[i0].Line;
            var group = line?.Group ?? groups[i0].Outcome.Label;
            var span = line is null || line.Item.Length == 0
                ? 1
                : groups.Skip(i0).TakeWhile(g => g.Line?.Group == group).Count();
            if (line is null || line.Item.Length == 0)
            {
                cells.Add(new Cell(row + i0, 1, 1, 2, line?.Group ?? groups[i0].Outcome.Label, Header: true, RowHeader: true));
            }
            else
            {
                cells.Add(new Cell(row + i0, 1, span, 1, group, Header: true, RowHeader: true));
                for (var k = 0; k < span; k++)
                {
                    cells.Add(new Cell(row + i0 + k, 2, 1, 1, groups[i0 + k].Line!.Item, Header: true, RowHeader: true));
                }
            }

            for (var k = 0; k < span; k++)
            {
                Values(row + i0 + k, groups[i0 + k].Outcome.Counts);
            }

            i0 += span;
        }

        row += outcomes.Count;
        cells.Add(new Cell(row, 1, 1, 2, "（七）总计", Header: true, RowHeader: true));
        Values(row++, table.OutcomeTotal);
        cells.Add(new Cell(row, 0, 1, 3, ReportTemplate.CarriedForwardLabel, Header: true, RowHeader: true));
        Values(row++, table.CarriedForward);
        float[] widths = [1.1f, 1.3f, 3.2f, 1, 1, 1, 1, 1, 1, 1];
        return new Grid("收到和处理政府信息公开申请情况", widths, row, cells);
    }

    private static Grid AppealGrid(AppealTable table)
    {
        var cells = new List<Cell>
        {
            new(0, 0, 2, 5, "行政复议", Header: true),
            new(0, 5, 1, 10, "行政诉讼", Header: true),
            new(1, 5, 1, 5, "未经复议直接起诉", Header: true),
            new(1, 10, 1, 5, "复议后起诉", Header: true),
        };
        var column = 0;
        foreach (var (_, select) in ReportTemplate.AppealGroups)
        {
            var group = select(table) ?? new AppealGroup();
            foreach (var (label, value) in ReportTemplate.AppealCells)
            {
                cells.Add(new Cell(2, column, 1, 1, label, Header: true));
                cells.Add(new Cell(3, column, 1, 1, N(value(group)), Number: true));
                column++;
            }
        }

        return new Grid("政府信息公开行政复议、行政诉讼情况", Enumerable.Repeat(1f, 15).ToArray(), 4, cells);
    }

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);

    public abstract record Block;

    public sealed record Title(string Text) : Block;

    public sealed record Heading(string Text) : Block;

    public sealed record Paragraph(string Text) : Block;

    /// <summary>A table: relative column widths, the number of rows, and cells anchored at (row, column) with spans.</summary>
    public sealed record Grid(string Caption, float[] Widths, int Rows, IReadOnlyList<Cell> Cells) : Block;

    /// <summary>A cell; <paramref name="RowHeader"/> marks the labels of a row (the rest of the headers label columns).</summary>
    public sealed record Cell(int Row, int Column, int RowSpan, int ColumnSpan, string Text, bool Header = false, bool Number = false, bool RowHeader = false);
}
