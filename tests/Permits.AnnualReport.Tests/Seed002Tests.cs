using System.Net.Http.Json;
using System.Text.Json;
using Permits.Contracts.Disclosure;
using Permits.Contracts.Disclosure.V1;

namespace Permits.Reports.Tests;

/// <summary>
/// Seed 002, 海盐县烟草专卖局's real 2020 report: its 1013 licensing decisions appended to the disclosure log the way
/// the services send them (on the bus, with certificates issued, corrections and a withdrawal around them, and
/// decisions of other years and another county), its non-owned rows entered by the clerk; no disclosure requests.
/// </summary>
public sealed class Seed002Fixture : IAsyncLifetime
{
    public const int Decisions = 1013;

    public ReportHost Host { get; private set; } = null!;

    public Draft Draft { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = await ReportHost.StartAsync(Engine.PostgreSql, rabbitMq: true);
        var records = new List<DisclosureRecorded>();
        var start = new DateOnly(2020, 1, 2);
        var counted = new List<DisclosureRecorded>();
        for (var i = 0; i < Decisions - 1; i++)
        {
            // 1000 approvals and 12 denials, spread over the working year.
            counted.Add(Samples.Decision(ReportHost.Haiyan, start.AddDays(i % 360),
                i % 84 == 83 ? DisclosureKinds.LicenceDenied : DisclosureKinds.LicenceApproved));
        }

        // 00:30 on 1 January 2020 in China is still 2019 in UTC: it is a 2020 decision.
        counted.Add(Samples.DecisionAt(ReportHost.Haiyan, new DateTimeOffset(2019, 12, 31, 16, 30, 0, TimeSpan.Zero)));
        records.AddRange(counted);
        records.AddRange(counted.Take(200).Select(d => Samples.StepOf(d, DisclosureKinds.CertificateIssued)));
        records.AddRange(counted.Take(200).Select(d => Samples.StepOf(d, DisclosureKinds.ApplicationAccepted)));
        records.AddRange(counted.Skip(300).Take(5).Select(Samples.Correction));

        // Not 2020 decisions of 海盐: the year before, 00:30 on 1 January 2021 China time, another county.
        records.Add(Samples.Decision(ReportHost.Haiyan, new DateOnly(2019, 12, 31)));
        records.Add(Samples.DecisionAt(ReportHost.Haiyan, new DateTimeOffset(2020, 12, 31, 16, 30, 0, TimeSpan.Zero)));
        records.Add(Samples.Decision(ReportHost.Jiashan, new DateOnly(2020, 6, 1)));

        // Published in error and withdrawn: once directly, once after a correction.
        var withdrawn = Samples.Decision(ReportHost.Haiyan, new DateOnly(2020, 7, 1));
        var corrected = Samples.Decision(ReportHost.Haiyan, new DateOnly(2020, 8, 1));
        var correction = Samples.Correction(corrected);
        records.AddRange([withdrawn, Samples.Withdrawal(withdrawn), corrected, correction, Samples.Withdrawal(correction)]);

        await Host.AppendAsync(records, TimeSpan.FromSeconds(90));
        Draft = await Host.Reports.SaveDraftAsync(Samples.HaiyanEntries(), ReportHost.Clerk());
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

public sealed class When_the_haiyan_2020_report_is_generated_from_its_records(Seed002Fixture seed) : IClassFixture<Seed002Fixture>
{
    [Fact]
    public void Should_print_the_tables_of_seed_002()
    {
        var expected = Tables.Expected("haiyan-2020-tables.txt");

        var actual = Tables.Lines(seed.Draft.Report);

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Should_count_1013_licensing_decisions_and_carry_the_entered_rows_with_their_sources()
    {
        var active = seed.Draft.Report.Active;

        Assert.Equal(1013, active.Licensing.Decisions);
        Assert.Equal(7, active.Licensing.PreviousYearItems);
        Assert.Equal(168, active.Penalties.Decisions);
        Assert.Equal(5, active.Penalties.PreviousYearItems);
        Assert.Contains("互联网+监管", active.Penalties.Source);
        Assert.Equal("海盐县烟草专卖局2020年度政府信息公开工作年度报告", seed.Draft.Report.Title);
        Assert.All(Permits.Disclosure.Reports.ReportTemplate.Rows(seed.Draft.Report.Requests), row => Assert.Equal(0, row.Row.Total));
        Assert.Equal(0, seed.Draft.Report.Appeals.Reconsideration.Total + seed.Draft.Report.Appeals.LitigationDirect.Total
                        + seed.Draft.Report.Appeals.LitigationAfterReconsideration.Total);
    }

    [Fact]
    public void Should_pass_every_check_and_offer_draft_texts_from_the_figures()
    {
        Assert.True(seed.Draft.Checks.Passed, string.Join(" ", seed.Draft.Checks.Failures.Select(f => f.Message)));
        Assert.Contains("行政许可处理决定1013件", seed.Draft.SuggestedOverview);
        Assert.Contains("本年度未收到政府信息公开申请", seed.Draft.SuggestedOverview);
        Assert.Contains("2021年进一步改进措施", seed.Draft.SuggestedProblems);
        Assert.StartsWith("2020年，海盐县烟草专卖局认真贯彻", seed.Draft.Report.Overview);
    }

    [Fact]
    public async Task Should_publish_it_with_the_same_figures_over_grpc_and_rest()
    {
        var draft = await seed.Host.Reports.GetDraftAsync(new GetDraftRequest { CountyCode = ReportHost.Haiyan, Year = 2020 }, ReportHost.Clerk());
        var published = await seed.Host.Reports.PublishReportAsync(
            new PublishReportRequest { CountyCode = ReportHost.Haiyan, Year = 2020, DraftHash = draft.DraftHash }, ReportHost.Clerk());

        using var http = new HttpClient { BaseAddress = new Uri(seed.Host.HttpUrl) };
        using var json = JsonDocument.Parse(await http.GetStringAsync("/v1/annual-reports/330424/2020"));
        var report = json.RootElement.GetProperty("report");
        Assert.Equal(1, published.Version);
        Assert.True(published.Intact);
        Assert.Equal(draft.DraftHash, published.ContentHash);
        Assert.Equal(published.ContentHash, json.RootElement.GetProperty("contentHash").GetString());
        Assert.Equal(1013, report.GetProperty("active").GetProperty("licensing").GetProperty("decisions").GetInt32());
        Assert.Equal(168, report.GetProperty("active").GetProperty("penalties").GetProperty("decisions").GetInt32());
        Assert.Equal(0, report.GetProperty("requests").GetProperty("outcomeTotal").GetProperty("total").GetInt32());
        var list = await http.GetFromJsonAsync<JsonElement>("/v1/annual-reports?countyCode=330424");
        Assert.Equal(2020, list.GetProperty("reports")[0].GetProperty("year").GetInt32());
    }
}
