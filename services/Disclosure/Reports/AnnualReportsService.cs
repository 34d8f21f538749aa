using System.Text;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Permits.Contracts.Disclosure.V1;
using Permits.Documents;
using Permits.Shared.Domain;
using Permits.Shared.Security;
using Permits.Shared.Steps;

namespace Permits.Disclosure.Reports;

/// <summary>
/// Published reports, their renderings and the checks are public; drafts and publishing need the county's disclosure
/// clerk (policy disclosure-clerk on the Permits bearer token, county checked by <see cref="DisclosureSteps.ForReportOf"/>).
/// </summary>
public sealed class AnnualReportsService(
    PublishedReports published,
    ReportDrafts drafts,
    PublishReport publish,
    IConfiguration configuration) : AnnualReports.AnnualReportsBase
{
    [AllowAnonymous]
    public override Task<ListPublishedReportsResponse> ListPublishedReports(ListPublishedReportsRequest request, ServerCallContext context) =>
        published.ListAsync(request, context.CancellationToken);

    [AllowAnonymous]
    public override Task<PublishedReport> GetPublishedReport(GetPublishedReportRequest request, ServerCallContext context) =>
        published.GetAsync(request, context.CancellationToken);

    [AllowAnonymous]
    public override async Task<RenderedReport> RenderPublishedReport(RenderPublishedReportRequest request, ServerCallContext context)
    {
        if (request.Format is not ("pdf" or "html"))
        {
            new FieldErrors().Add("format", "格式须为 pdf 或 html").ThrowIfAny();
        }

        var report = await published.GetAsync(
            new GetPublishedReportRequest { CountyCode = request.CountyCode, Year = request.Year, Version = request.Version },
            context.CancellationToken);
        var name = $"{report.Report.CountyCode}-{report.Report.Year}-v{report.Version}";
        if (request.Format == "html")
        {
            return new RenderedReport
            {
                Content = ByteString.CopyFrom(Encoding.UTF8.GetBytes(ReportHtml.Fragment(report))),
                ContentType = "text/html; charset=utf-8",
                FileName = name + ".html",
                Version = report.Version,
            };
        }

        try
        {
            return new RenderedReport
            {
                Content = ByteString.CopyFrom(ReportPdf.Render(report, configuration)),
                ContentType = "application/pdf",
                FileName = name + ".pdf",
                Version = report.Version,
            };
        }
        catch (FontMissingException missing)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, missing.Message));
        }
    }

    [AllowAnonymous]
    public override async Task<CheckResults> CheckReport(AnnualReport request, ServerCallContext context)
    {
        var failures = ReportChecks.Arithmetic(request);
        failures.AddRange(ReportChecks.PersonalInformationIn(request));
        if (request.CountyCode.Length == 6 && request.Year > 2008)
        {
            failures.AddRange(await published.CarryOverAsync(request, context.CancellationToken));
        }

        var results = new CheckResults { Passed = failures.Count == 0 };
        results.Failures.AddRange(failures);
        return results;
    }

    [Authorize(AuthenticationSchemes = PermitsAuthentication.Scheme, Policy = PermitsPolicies.DisclosureClerk)]
    public override async Task<Draft> GetDraft(GetDraftRequest request, ServerCallContext context) =>
        await drafts.GetAsync(request, (await Officer.FromAsync(context)).ForReportOf(DisclosureSteps.DraftReport, request.CountyCode), context.CancellationToken);

    [Authorize(AuthenticationSchemes = PermitsAuthentication.Scheme, Policy = PermitsPolicies.DisclosureClerk)]
    public override async Task<Draft> SaveDraft(SaveDraftRequest request, ServerCallContext context) =>
        await drafts.SaveAsync(request, (await Officer.FromAsync(context)).ForReportOf(DisclosureSteps.DraftReport, request.CountyCode), context.CancellationToken);

    [Authorize(AuthenticationSchemes = PermitsAuthentication.Scheme, Policy = PermitsPolicies.DisclosureClerk)]
    public override async Task<PublishedReport> PublishReport(PublishReportRequest request, ServerCallContext context) =>
        await publish.HandleAsync(request, (await Officer.FromAsync(context)).ForReportOf(DisclosureSteps.PublishReport, request.CountyCode), context.CancellationToken);
}
