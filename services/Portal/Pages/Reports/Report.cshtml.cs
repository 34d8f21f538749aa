using Grpc.Core;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Permits.Contracts.Disclosure.V1;

namespace Permits.Portal.Pages.Reports;

/// <summary>
/// One published report, laid out like the template (the Disclosure service renders it, every text escaped), with
/// its versions, the PDF and the JSON figures. Version 0 (or none) is the latest.
/// </summary>
public sealed class ReportModel(AnnualReports.AnnualReportsClient reports) : PageModel
{
    [FromRoute(Name = "county")]
    public string CountyCode { get; set; } = "";

    [FromRoute(Name = "year")]
    public int Year { get; set; }

    [FromRoute(Name = "version")]
    public int? Version { get; set; }

    public PublishedReport? Report { get; private set; }

    public IHtmlContent Body { get; private set; } = HtmlString.Empty;

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        try
        {
            Report = await reports.GetPublishedReportAsync(Query(), cancellationToken: cancellationToken);
            var html = await reports.RenderPublishedReportAsync(
                new RenderPublishedReportRequest { CountyCode = CountyCode, Year = Year, Version = Report.Version, Format = "html" },
                cancellationToken: cancellationToken);
            // The service escapes every text it places in the fragment (ReportHtml).
            Body = new HtmlString(html.Content.ToStringUtf8());
        }
        catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            Error = ReportPages.Explain(ex);
            Response.StatusCode = ex.StatusCode == Grpc.Core.StatusCode.NotFound ? 404 : ex.StatusCode == Grpc.Core.StatusCode.InvalidArgument ? 400 : 503;
        }

        return Page();
    }

    public async Task<IActionResult> OnGetPdfAsync(CancellationToken cancellationToken) =>
        await DownloadAsync(async () => ReportPages.File(await reports.RenderPublishedReportAsync(
            new RenderPublishedReportRequest { CountyCode = CountyCode, Year = Year, Version = Version ?? 0, Format = "pdf" },
            cancellationToken: cancellationToken)));

    public async Task<IActionResult> OnGetJsonAsync(CancellationToken cancellationToken) =>
        await DownloadAsync(async () => ReportPages.JsonResult(await reports.GetPublishedReportAsync(Query(), cancellationToken: cancellationToken)));

    private GetPublishedReportRequest Query() => new() { CountyCode = CountyCode, Year = Year, Version = Version ?? 0 };

    private async Task<IActionResult> DownloadAsync(Func<Task<IActionResult>> download)
    {
        try
        {
            return await download();
        }
        catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            return new ContentResult
            {
                Content = ReportPages.Explain(ex),
                ContentType = "text/plain; charset=utf-8",
                StatusCode = ex.StatusCode == Grpc.Core.StatusCode.NotFound ? 404 : ex.StatusCode == Grpc.Core.StatusCode.InvalidArgument ? 400 : 503,
            };
        }
    }
}
