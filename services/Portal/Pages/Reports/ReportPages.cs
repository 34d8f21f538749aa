using System.Text;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Permits.Contracts.Disclosure.V1;

namespace Permits.Portal.Pages.Reports;

/// <summary>What the public report pages share: the stylesheet of the report tables, errors, downloads.</summary>
public static class ReportPages
{
    public const string StylesheetPath = "/reports/report.css";

    /// <summary>The tables drawn like the template (borders, spans), readable at 360 px (they scroll sideways).</summary>
    public const string Stylesheet = """
        .annual-report h1 { font-size: 1.5rem; text-align: center; }
        .annual-report h2 { font-size: 1.2rem; margin-top: 2rem; }
        .annual-report p { text-indent: 2em; line-height: 1.8; }
        .annual-report .report-meta, .annual-report .report-correction { text-indent: 0; text-align: center; color: #555; font-size: .9rem; overflow-wrap: anywhere; }
        .table-scroll { overflow-x: auto; margin: 1rem 0; -webkit-overflow-scrolling: touch; }
        .report-table { border-collapse: collapse; min-width: 100%; background: #fff; font-size: .875rem; }
        .report-table th, .report-table td { border: 1px solid #333; padding: .35rem .5rem; text-align: center; vertical-align: middle; }
        .report-table th { font-weight: 400; background: #f4f6f9; }
        .report-table td.num { font-variant-numeric: tabular-nums; min-width: 2.5em; }
        .report-links { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; padding: 0; list-style: none; }
        .report-warning { border: 2px solid #b00020; padding: .75rem 1rem; background: #fff4f4; }
        .check-list li { margin-bottom: .5rem; }
        .check-failed { color: #b00020; }
        .entry-table input { width: 6em; }
        .entry-table input.source { width: 16em; }
        .entry-table th, .entry-table td { border: 1px solid #ccc; padding: .35rem; }
        .entry-table { border-collapse: collapse; }
        .report-text { width: 100%; min-height: 12rem; font: inherit; }
        """;

    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    public static string ToJson(IMessage message) => Json.Format(message);

    public static string Explain(RpcException ex) => ex.StatusCode switch
    {
        Grpc.Core.StatusCode.NotFound => "没有找到该年度报告（尚未发布或版本号不存在）。",
        Grpc.Core.StatusCode.InvalidArgument => "查询条件有误：" + ex.Status.Detail,
        Grpc.Core.StatusCode.FailedPrecondition => ex.Status.Detail,
        _ => "年度报告服务暂时无法响应，请稍后重试。",
    };

    public static FileContentResult File(RenderedReport rendered) =>
        new(rendered.Content.ToByteArray(), rendered.ContentType) { FileDownloadName = rendered.FileName };

    public static ContentResult JsonResult(IMessage message) =>
        new() { Content = ToJson(message), ContentType = "application/json; charset=utf-8", StatusCode = 200 };

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
