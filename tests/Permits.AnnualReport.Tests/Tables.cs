using Permits.Contracts.Disclosure.V1;
using Permits.Disclosure.Reports;

namespace Permits.Reports.Tests;

/// <summary>A report's tables as printed: one line per row with figures, "label|n|n|…" (see Seed002/haiyan-2020-tables.txt).</summary>
public static class Tables
{
    public static List<string> Lines(AnnualReport report)
    {
        var lines = new List<string>();
        foreach (var grid in ReportLayout.Blocks(report).OfType<ReportLayout.Grid>())
        {
            for (var row = 0; row < grid.Rows; row++)
            {
                var cells = grid.Cells.Where(c => c.Row == row).OrderBy(c => c.Column).ToList();
                var numbers = cells.Where(c => c.Number).Select(c => c.Text).ToList();
                if (numbers.Count == 0)
                {
                    continue;
                }

                var label = cells.LastOrDefault(c => c.Header)?.Text
                    ?? grid.Cells.Where(c => c.Row == row - 1 && c.Header).OrderBy(c => c.Column).First().Text;
                lines.Add(label + "|" + string.Join("|", numbers));
            }
        }

        return lines;
    }

    public static List<string> Expected(string file) =>
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Seed002", file))
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .ToList();
}
