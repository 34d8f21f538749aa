using System.Net;
using System.Text;
using Permits.Contracts.Disclosure.V1;
using Permits.Shared.Domain;

namespace Permits.Disclosure.Reports;

/// <summary>
/// The report as an HTML fragment laid out like the template (every text escaped), for the Portal to place in its
/// page: headings, paragraphs and bordered tables with the template's row and column spans.
/// </summary>
public static class ReportHtml
{
    public static string Fragment(PublishedReport published)
    {
        var html = new StringBuilder();
        html.Append("<article class=\"annual-report\" lang=\"zh-CN\">");
        foreach (var block in ReportLayout.Blocks(published.Report))
        {
            switch (block)
            {
                case ReportLayout.Title title:
                    html.Append("<h1>").Append(E(title.Text)).Append("</h1>");
                    html.Append("<p class=\"report-meta\">第 ").Append(published.Version).Append(" 版　发布于 ")
                        .Append(E((published.PublishedAt is null ? "" : ChinaTime.Text(published.PublishedAt.ToDateTimeOffset()))))
                        .Append("（北京时间）　内容哈希 <code>").Append(E(published.ContentHash)).Append("</code></p>");
                    if (published.CorrectionNote.Length > 0)
                    {
                        html.Append("<p class=\"report-correction\">更正说明：").Append(E(published.CorrectionNote)).Append("</p>");
                    }

                    break;
                case ReportLayout.Heading heading:
                    html.Append("<h2>").Append(E(heading.Text)).Append("</h2>");
                    break;
                case ReportLayout.Paragraph paragraph:
                    html.Append("<p>").Append(E(paragraph.Text)).Append("</p>");
                    break;
                case ReportLayout.Grid grid:
                    Table(html, grid);
                    break;
            }
        }

        html.Append("</article>");
        return html.ToString();
    }

    private static void Table(StringBuilder html, ReportLayout.Grid grid)
    {
        html.Append("<div class=\"table-scroll\"><table class=\"report-table\"><caption class=\"visually-hidden\">")
            .Append(E(grid.Caption)).Append("</caption>");
        for (var row = 0; row < grid.Rows; row++)
        {
            html.Append("<tr>");
            foreach (var cell in grid.Cells.Where(c => c.Row == row).OrderBy(c => c.Column))
            {
                var tag = cell.Header ? "th" : "td";
                html.Append('<').Append(tag);
                if (cell.Header)
                {
                    html.Append(cell.RowHeader ? " scope=\"row\"" : cell.ColumnSpan > 1 ? " scope=\"colgroup\"" : " scope=\"col\"");
                }

                if (cell.RowSpan > 1)
                {
                    html.Append(" rowspan=\"").Append(cell.RowSpan).Append('"');
                }

                if (cell.ColumnSpan > 1)
                {
                    html.Append(" colspan=\"").Append(cell.ColumnSpan).Append('"');
                }

                if (cell.Number)
                {
                    html.Append(" class=\"num\"");
                }

                html.Append('>').Append(E(cell.Text)).Append("</").Append(tag).Append('>');
            }

            html.Append("</tr>");
        }

        html.Append("</table></div>");
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
