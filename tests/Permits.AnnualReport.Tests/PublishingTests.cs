using System.Diagnostics;
using Grpc.Core;
using Permits.Contracts.Disclosure.V1;

namespace Permits.Reports.Tests;

/// <summary>Published reports are immutable and versioned; each renders as HTML and as a PDF laid out like the template.</summary>
public sealed class When_a_report_is_published(PostgresFixture fixture) : IClassFixture<PostgresFixture>
{
    private ReportHost Host => fixture.Host;

    [Fact]
    public async Task Should_publish_a_correction_as_the_next_version_and_keep_the_first_readable()
    {
        var v1 = await PublishAsync(Samples.Entries(ReportHost.Haiyan, 2019));
        var corrected = Samples.Entries(ReportHost.Haiyan, 2019);
        corrected.Active.Penalties.Decisions = 4;
        var draft = await Host.Reports.SaveDraftAsync(corrected, ReportHost.Clerk());

        var withoutNote = await Samples.FailsAsync(() => Host.Reports.PublishReportAsync(
            new PublishReportRequest { CountyCode = ReportHost.Haiyan, Year = 2019, DraftHash = draft.DraftHash }, ReportHost.Clerk()).ResponseAsync);
        var v2 = await Host.Reports.PublishReportAsync(new PublishReportRequest
        {
            CountyCode = ReportHost.Haiyan, Year = 2019, DraftHash = draft.DraftHash, CorrectionNote = "行政处罚处理决定数量更正为 4 件",
        }, ReportHost.Clerk());
        var first = await Host.Reports.GetPublishedReportAsync(new GetPublishedReportRequest { CountyCode = ReportHost.Haiyan, Year = 2019, Version = 1 });
        var latest = await Host.Reports.GetPublishedReportAsync(new GetPublishedReportRequest { CountyCode = ReportHost.Haiyan, Year = 2019 });
        var listed = await Host.Reports.ListPublishedReportsAsync(new ListPublishedReportsRequest { CountyCode = ReportHost.Haiyan, Year = 2019 });

        Assert.Equal(StatusCode.InvalidArgument, withoutNote.StatusCode);
        Assert.Contains("更正说明", withoutNote.Status.Detail);
        Assert.Equal((1, 2), (v1.Version, v2.Version));
        Assert.Equal((3, v1.ContentHash, true), (first.Report.Active.Penalties.Decisions, first.ContentHash, first.Intact));
        Assert.Equal((2, 4, "行政处罚处理决定数量更正为 4 件"), (latest.Version, latest.Report.Active.Penalties.Decisions, latest.CorrectionNote));
        Assert.Equal([1, 2], latest.Versions);
        Assert.NotEqual(v1.ContentHash, v2.ContentHash);
        Assert.Equal((2, v2.ContentHash), (Assert.Single(listed.Reports).Version, listed.Reports[0].ContentHash));
    }

    [Fact]
    public async Task Should_refuse_to_publish_the_same_report_again_a_year_not_yet_ended_or_a_draft_changed_since_seen()
    {
        var entries = Samples.Entries(ReportHost.Haiyan, 2018);
        var v1 = await PublishAsync(entries);
        var same = await Host.Reports.GetDraftAsync(new GetDraftRequest { CountyCode = ReportHost.Haiyan, Year = 2018 }, ReportHost.Clerk());
        var again = await Samples.FailsAsync(() => Host.Reports.PublishReportAsync(new PublishReportRequest
        {
            CountyCode = ReportHost.Haiyan, Year = 2018, DraftHash = same.DraftHash, CorrectionNote = "重复发布",
        }, ReportHost.Clerk()).ResponseAsync);

        var current = await Host.Reports.SaveDraftAsync(Samples.Entries(ReportHost.Haiyan, 2026), ReportHost.Clerk());
        var early = await Samples.FailsAsync(() => Host.Reports.PublishReportAsync(new PublishReportRequest
        {
            CountyCode = ReportHost.Haiyan, Year = 2026, DraftHash = current.DraftHash,
        }, ReportHost.Clerk()).ResponseAsync);

        var seen = await Host.Reports.SaveDraftAsync(Samples.Entries(ReportHost.Haiyan, 2017), ReportHost.Clerk());
        var changed = Samples.Entries(ReportHost.Haiyan, 2017);
        changed.Active.Rules.NewlyMade = 1;
        await Host.Reports.SaveDraftAsync(changed, ReportHost.Clerk());
        var stale = await Samples.FailsAsync(() => Host.Reports.PublishReportAsync(new PublishReportRequest
        {
            CountyCode = ReportHost.Haiyan, Year = 2017, DraftHash = seen.DraftHash,
        }, ReportHost.Clerk()).ResponseAsync);

        Assert.Equal(v1.ContentHash, same.DraftHash);
        Assert.Equal((StatusCode.FailedPrecondition, "草稿与已发布的第 1 版相同，无需发布更正版"), (again.StatusCode, again.Status.Detail));
        Assert.Equal(StatusCode.FailedPrecondition, early.StatusCode);
        Assert.Contains("2026 年度尚未结束", early.Status.Detail);
        Assert.Equal(StatusCode.Aborted, stale.StatusCode);
    }

    [Fact]
    public async Task Should_render_a_pdf_with_the_title_and_the_tables_that_poppler_reads()
    {
        await PublishAsync(Samples.Entries(ReportHost.Haiyan, 2016));

        var pdf = await Host.Reports.RenderPublishedReportAsync(new RenderPublishedReportRequest
        {
            CountyCode = ReportHost.Haiyan, Year = 2016, Format = "pdf",
        });

        var folder = Directory.CreateTempSubdirectory("permits-annual-report").FullName;
        try
        {
            var file = Path.Combine(folder, "report.pdf");
            await File.WriteAllBytesAsync(file, pdf.Content.ToByteArray());
            await RunAsync("pdftoppm", "-r", "40", "-png", file, Path.Combine(folder, "page"));
            var text = await RunAsync("pdftotext", "-layout", file, "-");

            Assert.Equal(("application/pdf", "330424-2016-v1.pdf"), (pdf.ContentType, pdf.FileName));
            Assert.True(pdf.Content.Length < 600 * 1024, $"the PDF is {pdf.Content.Length} bytes: the CJK font should be a subset");
            Assert.NotEmpty(Directory.GetFiles(folder, "page*.png"));
            Assert.Contains("海盐县烟草专卖局2016年度政府信息公开工作年度报告", text);
            Assert.Contains("三、收到和处理政府信息公开申请情况", text);
            Assert.Contains("结转下年度继续办理", text);
            Assert.Contains("行政处罚", text);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Should_render_html_with_the_template_tables_and_escaped_text()
    {
        var entries = Samples.Entries(ReportHost.Haiyan, 2015);
        entries.OtherMatters = "<script>alert(1)</script>";
        await PublishAsync(entries);

        var html = await Host.Reports.RenderPublishedReportAsync(new RenderPublishedReportRequest
        {
            CountyCode = ReportHost.Haiyan, Year = 2015, Format = "html",
        });

        var text = html.Content.ToStringUtf8();
        Assert.Contains("<h1>海盐县烟草专卖局2015年度政府信息公开工作年度报告</h1>", text);
        Assert.Contains("rowspan=\"22\"", text); // 三、本年度办理结果 spans its 21 outcomes and 总计
        Assert.Contains("&lt;script&gt;", text);
        Assert.DoesNotContain("<script>", text);
    }

    private async Task<PublishedReport> PublishAsync(SaveDraftRequest entries)
    {
        var draft = await Host.Reports.SaveDraftAsync(entries, ReportHost.Clerk());
        return await Host.Reports.PublishReportAsync(
            new PublishReportRequest { CountyCode = entries.CountyCode, Year = entries.Year, DraftHash = draft.DraftHash }, ReportHost.Clerk());
    }

    private static async Task<string> RunAsync(string tool, params string[] arguments)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{tool} did not start (Debian package poppler-utils)");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"{tool} failed: {await error}");
        return await output;
    }
}
