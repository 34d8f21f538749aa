using Permits.Contracts.Disclosure.V1;
using Permits.Disclosure.Reports;

namespace Permits.Reports.Tests;

/// <summary>
/// A request filed in late December 2020 and answered in January 2021, through the real request desk: 2020 carries
/// it forward, 2021 carries it over and reports its outcome, and both years publish; a 2021 report that says
/// otherwise is refused.
/// </summary>
public sealed class When_a_request_is_open_at_the_end_of_the_year(PostgresFixture fixture) : IClassFixture<PostgresFixture>
{
    private ReportHost Host => fixture.Host;

    [Fact]
    public async Task Should_carry_it_from_one_years_report_to_the_next()
    {
        Host.Time.Set(2020, 12, 21);
        var filed = await Host.Requests.FileRequestAsync(Samples.PersonRequest(ReportHost.Haiyan));
        Host.Time.Set(2021, 1, 11);
        await Host.Desk.AnswerAsync(new AnswerInformationRequest { RequestNumber = filed.RequestNumber, Outcome = "Disclosed" }, ReportHost.Clerk());
        Host.Time.Set(2022, 1, 10);

        var first = await Host.Reports.SaveDraftAsync(Samples.Entries(ReportHost.Haiyan, 2020), ReportHost.Clerk());
        var published2020 = await Host.Reports.PublishReportAsync(
            new PublishReportRequest { CountyCode = ReportHost.Haiyan, Year = 2020, DraftHash = first.DraftHash }, ReportHost.Clerk());
        var second = await Host.Reports.SaveDraftAsync(Samples.Entries(ReportHost.Haiyan, 2021), ReportHost.Clerk());
        var published2021 = await Host.Reports.PublishReportAsync(
            new PublishReportRequest { CountyCode = ReportHost.Haiyan, Year = 2021, DraftHash = second.DraftHash }, ReportHost.Clerk());

        var year2020 = published2020.Report.Requests;
        var year2021 = published2021.Report.Requests;
        Assert.Equal((1, 1, 0, 1), (year2020.NewlyReceived.NaturalPerson, year2020.NewlyReceived.Total, year2020.OutcomeTotal.Total, year2020.CarriedForward.NaturalPerson));
        Assert.Equal((0, 1, 1, 0), (year2021.NewlyReceived.Total, year2021.CarriedOver.NaturalPerson, year2021.Outcomes[0].Counts.NaturalPerson, year2021.CarriedForward.Total));
        Assert.Equal(year2020.CarriedForward, year2021.CarriedOver);
        Assert.True(second.Checks.Passed);

        // The same 2021 report claiming nothing was carried over (and one more received, so 一 + 二 = 三 + 四 still holds).
        var claimed = published2021.Report.Clone();
        claimed.Requests.CarriedOver = new CategoryRow();
        claimed.Requests.NewlyReceived.NaturalPerson = 1;
        claimed.Requests.NewlyReceived.Total = 1;
        var results = await Host.Reports.CheckReportAsync(claimed);

        Assert.All(results.Failures, f => Assert.Equal(ReportChecks.CarryOver, f.Rule));
        Assert.Equal([("自然人", 1L, 0L), ("总计", 1L, 0L)], results.Failures.Select(f => (f.Column, f.Expected, f.Actual)));
    }
}
