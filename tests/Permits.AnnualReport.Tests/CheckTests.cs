using Google.Rpc;
using Grpc.Core;
using Permits.Contracts.Disclosure.V1;
using Permits.Disclosure.Reports;

namespace Permits.Reports.Tests;

/// <summary>
/// Each of the template's check rules rejects a table changed by hand: submitted to the public check, stored as a
/// draft, or stored as a published report. Each test uses its own year of 海盐's reports in the shared database.
/// </summary>
public sealed class When_a_report_table_is_changed_by_hand(PostgresFixture fixture) : IClassFixture<PostgresFixture>
{
    private ReportHost Host => fixture.Host;

    [Fact]
    public async Task Should_reject_a_column_where_one_plus_two_differs_from_three_plus_four()
    {
        var report = await GeneratedAsync(2010);
        report.Requests.NewlyReceived.NaturalPerson = 1;
        report.Requests.NewlyReceived.Total = 1;

        var results = await Host.Reports.CheckReportAsync(report);

        Assert.False(results.Passed);
        Assert.All(results.Failures, f => Assert.Equal(ReportChecks.Balance, f.Rule));
        Assert.Equal(["自然人", "总计"], results.Failures.Select(f => f.Column));
        var failure = results.Failures[0];
        Assert.Equal((1L, 0L), (failure.Expected, failure.Actual));
        Assert.Contains("“自然人”列 第一项加第二项之和为 1，第三项（七）总计加第四项之和为 0", failure.Message);
    }

    [Fact]
    public async Task Should_reject_a_row_total_that_is_not_the_sum_of_its_columns()
    {
        var report = await GeneratedAsync(2011);
        report.Requests.Outcomes[0].Counts.Total = 1;

        var results = await Host.Reports.CheckReportAsync(report);

        Assert.All(results.Failures, f => Assert.Equal(ReportChecks.Totals, f.Rule));
        var row = Assert.Single(results.Failures, f => f.Row == "三、本年度办理结果（一）予以公开");
        Assert.Equal(("总计", 0L, 1L), (row.Column, row.Expected, row.Actual));
        Assert.Contains("应为各申请人类别之和 0，实为 1", row.Message);
    }

    [Fact]
    public async Task Should_reject_a_grand_total_row_that_is_not_the_sum_of_the_outcomes()
    {
        var report = await GeneratedAsync(2012);
        // One + two still equals three + four: only the 总计 row is wrong.
        report.Requests.NewlyReceived.NaturalPerson = 2;
        report.Requests.NewlyReceived.Total = 2;
        report.Requests.OutcomeTotal.NaturalPerson = 2;
        report.Requests.OutcomeTotal.Total = 2;

        var results = await Host.Reports.CheckReportAsync(report);

        Assert.All(results.Failures, f => Assert.Equal(ReportChecks.Totals, f.Rule));
        Assert.Equal(
            [("自然人", 0L, 2L), ("总计", 0L, 2L)],
            results.Failures.Where(f => f.Row == ReportTemplate.OutcomeTotalLabel).Select(f => (f.Column, f.Expected, f.Actual)));
    }

    [Fact]
    public async Task Should_reject_a_section_four_total_that_is_not_the_sum_of_its_results()
    {
        var report = await GeneratedAsync(2013);
        report.Appeals.LitigationDirect.Upheld = 1;

        var results = await Host.Reports.CheckReportAsync(report);

        var failure = Assert.Single(results.Failures);
        Assert.Equal((ReportChecks.Totals, "四、行政诉讼（未经复议直接起诉）", "总计", 1L, 0L),
            (failure.Rule, failure.Row, failure.Column, failure.Expected, failure.Actual));
    }

    [Fact]
    public async Task Should_reject_a_carry_over_that_differs_from_last_years_published_report()
    {
        await PublishAsync(2014);
        var report = await GeneratedAsync(2015);
        report.Requests.CarriedOver.NaturalPerson = 1;
        report.Requests.CarriedOver.Total = 1;
        report.Requests.CarriedForward.NaturalPerson = 1;
        report.Requests.CarriedForward.Total = 1;

        var results = await Host.Reports.CheckReportAsync(report);

        Assert.All(results.Failures, f => Assert.Equal(ReportChecks.CarryOver, f.Rule));
        Assert.Equal([("自然人", 0L, 1L), ("总计", 0L, 1L)], results.Failures.Select(f => (f.Column, f.Expected, f.Actual)));
        Assert.Contains("2014 年度报告（第 1 版）的结转下年度 0，实为 1", results.Failures[0].Message);
    }

    [Fact]
    public async Task Should_refuse_to_publish_a_stored_draft_whose_figures_were_changed_to_disagree_with_the_records()
    {
        var draft = await Host.Reports.SaveDraftAsync(Samples.Entries(ReportHost.Haiyan, 2016), ReportHost.Clerk());
        var tampered = draft.Report.Clone();
        tampered.Active.Licensing.Decisions = 5;
        var json = ReportJson.Write(tampered);
        // A careful hand: the stored hash is updated too, so only the comparison with the records can tell.
        await Host.ExecuteAsync(
            "UPDATE annual_report_drafts SET document_json = @Json, draft_hash = @Hash WHERE county_code = '330424' AND report_year = 2016",
            new { Json = json, Hash = ReportJson.Hash(json) });

        var error = await Samples.FailsAsync(() => Host.Reports.PublishReportAsync(new PublishReportRequest
        {
            CountyCode = ReportHost.Haiyan, Year = 2016, DraftHash = ReportJson.Hash(json),
        }, ReportHost.Clerk()).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        var violation = Assert.Single(error.GetRpcStatus()!.GetDetail<PreconditionFailure>().Violations);
        Assert.Equal((ReportChecks.Records, "第二十条第（五）项 行政许可／处理决定数量"), (violation.Type, violation.Subject));
        Assert.Contains("行政许可处理决定数量按政务公开记录应为 0，报告中为 5", error.Status.Detail);
        await AssertNotPublishedAsync(2016);
    }

    [Fact]
    public async Task Should_refuse_to_publish_a_stored_draft_changed_without_its_hash()
    {
        var draft = await Host.Reports.SaveDraftAsync(Samples.Entries(ReportHost.Haiyan, 2017), ReportHost.Clerk());
        var tampered = draft.Report.Clone();
        tampered.Appeals.Reconsideration.Upheld = 1;
        await Host.ExecuteAsync(
            "UPDATE annual_report_drafts SET document_json = @Json WHERE county_code = '330424' AND report_year = 2017",
            new { Json = ReportJson.Write(tampered) });

        var error = await Samples.FailsAsync(() => Host.Reports.PublishReportAsync(new PublishReportRequest
        {
            CountyCode = ReportHost.Haiyan, Year = 2017, DraftHash = draft.DraftHash,
        }, ReportHost.Clerk()).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        var rules = error.GetRpcStatus()!.GetDetail<PreconditionFailure>().Violations.Select(v => v.Type).ToList();
        Assert.Equal([ReportChecks.Integrity, ReportChecks.Totals, ReportChecks.Records], rules);
        Assert.Contains("第四部分“行政复议”的“总计”应为结果维持、结果纠正、其他结果、尚未审结之和 1，实为 0", error.Status.Detail);
        await AssertNotPublishedAsync(2017);
    }

    [Fact]
    public async Task Should_refuse_a_draft_whose_entered_rows_name_no_source()
    {
        var entries = Samples.Entries(ReportHost.Haiyan, 2018);
        entries.Active.Penalties.Source = " ";
        var draft = await Host.Reports.SaveDraftAsync(entries, ReportHost.Clerk());

        var error = await Samples.FailsAsync(() => Host.Reports.PublishReportAsync(new PublishReportRequest
        {
            CountyCode = ReportHost.Haiyan, Year = 2018, DraftHash = draft.DraftHash,
        }, ReportHost.Clerk()).ResponseAsync);

        var failure = Assert.Single(draft.Checks.Failures);
        Assert.Equal((ReportChecks.SourceNotes, "第二十条第（六）项 行政处罚"), (failure.Rule, failure.Row));
        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("缺少来源说明：“第二十条第（六）项 行政处罚”须注明数据来源", error.Status.Detail);
    }

    [Fact]
    public async Task Should_refuse_a_report_whose_own_words_hold_a_persons_identifiers()
    {
        var entries = Samples.Entries(ReportHost.Haiyan, 2024);
        entries.Overview = "本年度答复了申请人（身份证号码330424198001010012）关于许可办理时限的申请。";
        entries.OtherMatters = "咨询电话 0573-86123456，电子邮箱 gongkai@haiyan.gov.cn。";
        entries.Active.Penalties.Source = "行政处罚台账（经办人手机13800571234）";
        var draft = await Host.Reports.SaveDraftAsync(entries, ReportHost.Clerk());
        var checkedAgain = await Host.Reports.CheckReportAsync(draft.Report);
        var error = await Samples.FailsAsync(() => Host.Reports.PublishReportAsync(new PublishReportRequest
        {
            CountyCode = ReportHost.Haiyan, Year = 2024, DraftHash = draft.DraftHash,
        }, ReportHost.Clerk()).ResponseAsync);

        // The bureau's own landline and e-mail in 六 are not a person's: only 一 and the source note are refused.
        foreach (var failures in new[] { draft.Checks.Failures, checkedAgain.Failures })
        {
            Assert.All(failures, f => Assert.Equal(ReportChecks.PersonalInformation, f.Rule));
            Assert.Equal([("一、总体情况", "正文"), ("第二十条第（六）项 行政处罚", "来源")], failures.Select(f => (f.Row, f.Column)));
        }

        var messages = string.Join(" ", draft.Checks.Failures.Select(f => f.Message)) + error.Status.Detail;
        Assert.Contains("身份证号码（330424********0012）", draft.Checks.Failures[0].Message);
        Assert.DoesNotContain("330424198001010012", messages);
        Assert.DoesNotContain("13800571234", messages);
        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("手机号码（138****1234）", error.Status.Detail);
    }

    [Fact]
    public async Task Should_flag_a_published_report_changed_in_the_database_and_refuse_to_carry_over_from_it()
    {
        var published = await PublishAsync(2008);
        var tampered = published.Report.Clone();
        tampered.Active.Penalties.Decisions = 4;
        await Host.ExecuteAsync(
            "UPDATE annual_reports SET document_json = @Json WHERE county_code = '330424' AND report_year = 2008",
            new { Json = ReportJson.Write(tampered) });

        var read = await Host.Reports.GetPublishedReportAsync(new GetPublishedReportRequest { CountyCode = ReportHost.Haiyan, Year = 2008 });
        var draft = await Host.Reports.SaveDraftAsync(Samples.Entries(ReportHost.Haiyan, 2009), ReportHost.Clerk());
        var next = await Host.Reports.CheckReportAsync(draft.Report);
        var error = await Samples.FailsAsync(() => Host.Reports.PublishReportAsync(
            new PublishReportRequest { CountyCode = ReportHost.Haiyan, Year = 2009, DraftHash = draft.DraftHash }, ReportHost.Clerk()).ResponseAsync);

        Assert.False(read.Intact);
        Assert.Equal(published.ContentHash, read.ContentHash);
        Assert.Equal(4, read.Report.Active.Penalties.Decisions); // served as stored, flagged
        foreach (var failure in new[] { Assert.Single(draft.Checks.Failures), Assert.Single(next.Failures) })
        {
            Assert.Equal((ReportChecks.Integrity, "2008 年度报告第 1 版"), (failure.Rule, failure.Row));
        }

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("2008 年度已发布报告（第 1 版）的存储内容与其哈希不一致", error.Status.Detail);
    }

    private async Task<Contracts.Disclosure.V1.AnnualReport> GeneratedAsync(int year)
    {
        var draft = await Host.Reports.SaveDraftAsync(Samples.Entries(ReportHost.Haiyan, year), ReportHost.Clerk());
        Assert.True(draft.Checks.Passed, string.Join(" ", draft.Checks.Failures.Select(f => f.Message)));
        var results = await Host.Reports.CheckReportAsync(draft.Report);
        Assert.True(results.Passed, string.Join(" ", results.Failures.Select(f => f.Message)));
        return draft.Report;
    }

    private async Task<PublishedReport> PublishAsync(int year)
    {
        var draft = await Host.Reports.SaveDraftAsync(Samples.Entries(ReportHost.Haiyan, year), ReportHost.Clerk());
        return await Host.Reports.PublishReportAsync(
            new PublishReportRequest { CountyCode = ReportHost.Haiyan, Year = year, DraftHash = draft.DraftHash }, ReportHost.Clerk());
    }

    private async Task AssertNotPublishedAsync(int year)
    {
        var missing = await Samples.FailsAsync(() => Host.Reports.GetPublishedReportAsync(
            new GetPublishedReportRequest { CountyCode = ReportHost.Haiyan, Year = year }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
    }
}
