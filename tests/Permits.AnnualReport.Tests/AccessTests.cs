using Grpc.Core;
using Permits.Contracts.Disclosure.V1;
using Permits.Shared.Security;
using Permits.Testing;

namespace Permits.Reports.Tests;

/// <summary>Drafts and publishing belong to the county's disclosure clerk; published reports and the checks are public.</summary>
public sealed class When_someone_other_than_the_countys_disclosure_clerk_calls(PostgresFixture fixture) : IClassFixture<PostgresFixture>
{
    private ReportHost Host => fixture.Host;

    public static TheoryData<string, string, StatusCode> Callers => new()
    {
        { "nobody", "", StatusCode.Unauthenticated },
        { "another county's disclosure clerk", Tokens.OfficerFor(PermitsAudiences.Disclosure, ReportHost.Jiashan, PermitsRoles.DisclosureClerk), StatusCode.PermissionDenied },
        { "the county's licence clerk (受理)", Tokens.OfficerFor(PermitsAudiences.Disclosure, ReportHost.Haiyan, PermitsRoles.Clerk), StatusCode.PermissionDenied },
        { "the county's head (审批)", Tokens.OfficerFor(PermitsAudiences.Disclosure, ReportHost.Haiyan, PermitsRoles.Head), StatusCode.PermissionDenied },
        { "a provincial platform", Tokens.Platform("33", "platform-zj"), StatusCode.PermissionDenied },
        { "the disclosure clerk with a token for another API", Tokens.OfficerFor(PermitsAudiences.Review, ReportHost.Haiyan, PermitsRoles.DisclosureClerk), StatusCode.Unauthenticated },
        { "an applicant", Tokens.Applicant("13800571234", audience: PermitsAudiences.Disclosure), StatusCode.PermissionDenied },
    };

    [Theory]
    [MemberData(nameof(Callers))]
    public async Task Should_refuse_drafts_and_publishing(string who, string token, StatusCode expected)
    {
        var headers = token.Length == 0 ? new Metadata() : ReportHost.Bearer(token);

        var get = await Samples.FailsAsync(() => Host.Reports.GetDraftAsync(
            new GetDraftRequest { CountyCode = ReportHost.Haiyan, Year = 2020 }, headers).ResponseAsync);
        var save = await Samples.FailsAsync(() => Host.Reports.SaveDraftAsync(
            Samples.Entries(ReportHost.Haiyan, 2020), headers).ResponseAsync);
        var publish = await Samples.FailsAsync(() => Host.Reports.PublishReportAsync(
            new PublishReportRequest { CountyCode = ReportHost.Haiyan, Year = 2020, DraftHash = new string('0', 64) }, headers).ResponseAsync);

        Assert.True(new[] { get, save, publish }.All(e => e.StatusCode == expected), $"{who}: {get.StatusCode}, {save.StatusCode}, {publish.StatusCode}");
        Assert.Equal(0L, await Host.ScalarAsync<long>("SELECT COUNT(*) FROM annual_report_drafts WHERE report_year = 2020"));
    }

    [Fact]
    public async Task Should_let_the_clerk_of_another_county_prepare_only_their_own()
    {
        var jiashan = ReportHost.Clerk(ReportHost.Jiashan);

        var own = await Host.Reports.SaveDraftAsync(Samples.Entries(ReportHost.Jiashan, 2021), jiashan);
        var refused = await Samples.FailsAsync(() => Host.Reports.SaveDraftAsync(Samples.Entries(ReportHost.Haiyan, 2021), jiashan).ResponseAsync);

        Assert.Equal("嘉善县烟草专卖局2021年度政府信息公开工作年度报告", own.Report.Title);
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Contains("只能编制和发布本县（330421）的年度报告", refused.Status.Detail);
    }

    [Fact]
    public async Task Should_serve_published_reports_and_checks_without_a_token()
    {
        var draft = await Host.Reports.SaveDraftAsync(Samples.Entries(ReportHost.Haiyan, 2022), ReportHost.Clerk());
        await Host.Reports.PublishReportAsync(
            new PublishReportRequest { CountyCode = ReportHost.Haiyan, Year = 2022, DraftHash = draft.DraftHash }, ReportHost.Clerk());

        var listed = await Host.Reports.ListPublishedReportsAsync(new ListPublishedReportsRequest());
        var report = await Host.Reports.GetPublishedReportAsync(new GetPublishedReportRequest { CountyCode = ReportHost.Haiyan, Year = 2022 });
        var checks = await Host.Reports.CheckReportAsync(report.Report);

        Assert.Contains(listed.Reports, r => r.Year == 2022 && r.CountyCode == ReportHost.Haiyan);
        Assert.Equal("测试工作人员（officer-330424-disclosure-clerk）", report.PublishedBy);
        Assert.True(checks.Passed);
    }

    [Fact]
    public async Task Should_reject_invalid_entries_field_by_field()
    {
        var entries = Samples.Entries(ReportHost.Haiyan, 2023);
        entries.Active.Penalties.PreviousYearItems = -1;
        entries.Active.Procurement.TotalAmount = "十万";

        var error = await Samples.FailsAsync(() => Host.Reports.SaveDraftAsync(entries, ReportHost.Clerk()).ResponseAsync);
        var future = await Samples.FailsAsync(() => Host.Reports.GetDraftAsync(
            new GetDraftRequest { CountyCode = ReportHost.Haiyan, Year = 2027 }, ReportHost.Clerk()).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("active.penalties.previous_year_items", error.Status.Detail);
        Assert.Contains("active.procurement.total_amount", error.Status.Detail);
        Assert.Equal(StatusCode.InvalidArgument, future.StatusCode);
        Assert.Equal(0L, await Host.ScalarAsync<long>("SELECT COUNT(*) FROM annual_report_drafts WHERE report_year = 2023"));
    }
}
