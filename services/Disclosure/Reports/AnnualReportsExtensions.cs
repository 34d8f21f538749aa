using Permits.Disclosure.Reports;

namespace Permits.Disclosure;

/// <summary>
/// The statutory annual report (政府信息公开工作年度报告). Needs an <see cref="Requests.IRequestYearFigures"/> in the
/// container (the disclosure requests register it). Config: <c>Disclosure:Reports:FontFile</c> (the CJK font of the
/// PDF; default <c>Certificate:FontFile</c>, then Debian fonts-arphic-gbsn00lp).
/// </summary>
public static class AnnualReportsExtensions
{
    public static WebApplicationBuilder AddAnnualReports(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<LicensingDecisions>();
        builder.Services.AddScoped<ServiceRatingFigures>();
        builder.Services.AddScoped<ReportGenerator>();
        builder.Services.AddScoped<PublishedReports>();
        builder.Services.AddScoped<ReportDrafts>();
        builder.Services.AddScoped<PublishReport>();
        return builder;
    }

    public static WebApplication MapAnnualReports(this WebApplication app)
    {
        app.MapGrpcService<AnnualReportsService>();
        return app;
    }
}
