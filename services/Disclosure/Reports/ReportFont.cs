using Permits.Documents;

namespace Permits.Disclosure.Reports;

/// <summary>
/// The CJK TrueType font embedded (subset) in report PDFs: <c>Disclosure:Reports:FontFile</c>, else
/// <c>Certificate:FontFile</c>, else the first Debian font found (package fonts-arphic-gbsn00lp, as for licences).
/// </summary>
public static class ReportFont
{
    public static PdfTypeface Load(IConfiguration configuration) =>
        CjkFont.Load(
            configuration["Disclosure:Reports:FontFile"] is { Length: > 0 } own ? own : configuration["Certificate:FontFile"],
            "Disclosure:Reports:FontFile", "年度报告", '报');
}
