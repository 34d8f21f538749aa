using Permits.Contracts.Disclosure;
using Permits.Contracts.Disclosure.V1;

namespace Permits.Reports.Tests;

/// <summary>The same counting and publishing on SQLite (the embedded mode's database), with the in-memory bus.</summary>
public sealed class When_the_report_is_made_on_sqlite(SqliteFixture fixture) : IClassFixture<SqliteFixture>
{
    private ReportHost Host => fixture.Host;

    [Fact]
    public async Task Should_count_the_years_decisions_once_and_publish_versions()
    {
        var approved = Samples.Decision(ReportHost.Haiyan, new DateOnly(2020, 3, 2));
        var denied = Samples.Decision(ReportHost.Haiyan, new DateOnly(2020, 12, 31), DisclosureKinds.LicenceDenied);
        var newYear = Samples.DecisionAt(ReportHost.Haiyan, new DateTimeOffset(2019, 12, 31, 16, 30, 0, TimeSpan.Zero));
        var withdrawn = Samples.Decision(ReportHost.Haiyan, new DateOnly(2020, 5, 5));
        await Host.AppendAsync(
        [
            approved, Samples.StepOf(approved, DisclosureKinds.CertificateIssued), Samples.Correction(approved), denied, newYear,
            withdrawn, Samples.Withdrawal(withdrawn),
            Samples.DecisionAt(ReportHost.Haiyan, new DateTimeOffset(2020, 12, 31, 16, 30, 0, TimeSpan.Zero)),
            Samples.Decision(ReportHost.Jiashan, new DateOnly(2020, 6, 1)),
        ], TimeSpan.FromSeconds(30));

        var draft = await Host.Reports.SaveDraftAsync(Samples.Entries(ReportHost.Haiyan, 2020), ReportHost.Clerk());
        var v1 = await Host.Reports.PublishReportAsync(
            new PublishReportRequest { CountyCode = ReportHost.Haiyan, Year = 2020, DraftHash = draft.DraftHash }, ReportHost.Clerk());
        var corrected = Samples.Entries(ReportHost.Haiyan, 2020);
        corrected.Active.Procurement = new ProcurementRow { Items = 1, TotalAmount = "12.5", Source = "政府采购合同台账" };
        var second = await Host.Reports.SaveDraftAsync(corrected, ReportHost.Clerk());
        var v2 = await Host.Reports.PublishReportAsync(new PublishReportRequest
        {
            CountyCode = ReportHost.Haiyan, Year = 2020, DraftHash = second.DraftHash, CorrectionNote = "补报政府集中采购 1 项",
        }, ReportHost.Clerk());
        var first = await Host.Reports.GetPublishedReportAsync(new GetPublishedReportRequest { CountyCode = ReportHost.Haiyan, Year = 2020, Version = 1 });

        Assert.Equal(3, draft.Report.Active.Licensing.Decisions);
        Assert.Equal((1, 2), (v1.Version, v2.Version));
        Assert.Equal(("0", "12.5"), (first.Report.Active.Procurement.TotalAmount, v2.Report.Active.Procurement.TotalAmount));
        Assert.True(first.Intact && v2.Intact);
    }
}
