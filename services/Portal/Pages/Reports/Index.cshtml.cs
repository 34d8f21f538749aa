using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Permits.Contracts.Disclosure.V1;
using Permits.Portal.Web;
using Permits.Shared.Domain;

namespace Permits.Portal.Pages.Reports;

/// <summary>政府信息公开工作年度报告: every bureau's published reports, newest year first, each as a page, PDF and JSON.</summary>
public sealed class IndexModel(AnnualReports.AnnualReportsClient reports, CountyDirectory counties) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "county")]
    public string? CountyCode { get; set; }

    public IReadOnlyList<Option> Counties => counties.All.OrderBy(c => c.Code).Select(c => new Option(c.Code, c.Name)).ToList();

    public IReadOnlyList<PublishedReportSummary> Reports { get; private set; } = [];

    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var county = CountyCode?.Trim() ?? "";
        if (county.Length > 0 && !counties.TryGet(county, out _))
        {
            Error = "请选择列表中的县（市、区）。";
            return;
        }

        try
        {
            Reports = (await reports.ListPublishedReportsAsync(
                new ListPublishedReportsRequest { CountyCode = county }, cancellationToken: cancellationToken)).Reports;
        }
        catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            Error = ReportPages.Explain(ex);
        }
    }

    public static string ChinaTime(PublishedReportSummary report) =>
        global::Permits.Shared.Domain.ChinaTime.Text(report.PublishedAt is null ? null : global::Permits.Shared.Domain.ChinaTime.DateOf(report.PublishedAt.ToDateTimeOffset()));
}
