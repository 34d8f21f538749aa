using System.Globalization;
using Google.Protobuf.Reflection;
using Google.Rpc;
using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Permits.Contracts.Disclosure.V1;
using Permits.Portal.Web;
using Permits.Shared.Domain;

namespace Permits.Portal.Pages.Officer.AnnualReports;

/// <summary>
/// 年度报告编制: the disclosure clerk (disclosure-clerk, folder policy) prepares their county's report for a year. The
/// service generates what the records hold (行政许可 decisions, sections 三 and 四); the clerk enters the other rows
/// with their sources and writes sections 一, 五 and 六 (a draft from the figures is offered), sees the checks, and
/// publishes exactly the draft shown. The county comes from the session, never the form.
/// </summary>
public sealed class IndexModel(
    Contracts.Disclosure.V1.AnnualReports.AnnualReportsClient reports, TimeProvider time, ILogger<IndexModel> logger) : PageModel
{
    /// <summary>The rows a clerk enters (section 二 except 行政许可's 处理决定数量), by their proto field names.</summary>
    public static readonly IReadOnlyList<EntryRow> Rows =
    [
        new("rules", "第二十条第（一）项", "规章", [new("newly_made", "本年新制作数量"), new("newly_published", "本年新公开数量"), new("total_published", "对外公开总数量")]),
        new("normative_documents", "第二十条第（一）项", "规范性文件", [new("newly_made", "本年新制作数量"), new("newly_published", "本年新公开数量"), new("total_published", "对外公开总数量")]),
        new("licensing", "第二十条第（五）项", "行政许可", [new("previous_year_items", "上一年项目数量"), new("change_this_year", "本年增/减")]),
        new("other_services", "第二十条第（五）项", "其他对外管理服务事项", [new("previous_year_items", "上一年项目数量"), new("change_this_year", "本年增/减"), new("decisions", "处理决定数量")]),
        new("penalties", "第二十条第（六）项", "行政处罚", [new("previous_year_items", "上一年项目数量"), new("change_this_year", "本年增/减"), new("decisions", "处理决定数量")]),
        new("enforcement", "第二十条第（六）项", "行政强制", [new("previous_year_items", "上一年项目数量"), new("change_this_year", "本年增/减"), new("decisions", "处理决定数量")]),
        new("fees", "第二十条第（八）项", "行政事业性收费", [new("previous_year_items", "上一年项目数量"), new("change_this_year", "本年增/减")]),
        new("procurement", "第二十条第（九）项", "政府集中采购", [new("items", "采购项目数量"), new("total_amount", "采购总金额（万元）")]),
    ];

    private static readonly MessageDescriptor Active = ActiveDisclosure.Descriptor;

    [BindProperty(SupportsGet = true, Name = "year")]
    public int Year { get; set; }

    public OfficerIdentity Officer { get; private set; } = OfficerIdentity.Nobody;

    public Draft? Draft { get; private set; }

    /// <summary>What the form shows: the stored entries, or what the clerk just typed when it was refused.</summary>
    public SaveDraftRequest Entries { get; private set; } = new();

    public FormErrors Errors { get; private set; } = FormErrors.None;

    public IReadOnlyList<PreconditionFailure.Types.Violation> PublishFailures { get; private set; } = [];

    public string? LoadError { get; private set; }

    public int LastYear => ChinaToday().Year - 1;

    public IReadOnlyList<int> Years => Enumerable.Range(LastYear - 4, 6).Reverse().ToList();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Normalize();
        await LoadAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken cancellationToken)
    {
        Normalize();
        var (entries, errors) = Read();
        if (errors.Count > 0)
        {
            Errors = FormErrorsOf(errors);
            Entries = entries;
            await LoadAsync(cancellationToken, keepEntries: true);
            return Page();
        }

        return await SaveAsync(entries, "草稿已保存，校验结果已更新。", cancellationToken);
    }

    /// <summary>Replaces one text section with the draft the service wrote from the figures (the other fields as typed).</summary>
    public async Task<IActionResult> OnPostSuggestAsync(string section, CancellationToken cancellationToken)
    {
        Normalize();
        var (entries, errors) = Read();
        try
        {
            var draft = await reports.GetDraftAsync(new GetDraftRequest { CountyCode = Officer.CountyCode, Year = Year }, await CallAsync(cancellationToken));
            switch (section)
            {
                case "overview": entries.Overview = draft.SuggestedOverview; break;
                case "problems": entries.Problems = draft.SuggestedProblems; break;
                case "other_matters": entries.OtherMatters = draft.SuggestedOtherMatters; break;
            }
        }
        catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            TempData[Banner.Alert] = OfficerErrors.Explain(ex, logger);
            return RedirectToPage(new { year = Year });
        }

        if (errors.Count > 0)
        {
            Errors = FormErrorsOf(errors);
            Entries = entries;
            await LoadAsync(cancellationToken, keepEntries: true);
            return Page();
        }

        return await SaveAsync(entries, "已填入根据数据生成的草稿文字，请修改完善后保存。", cancellationToken);
    }

    public async Task<IActionResult> OnPostPublishAsync(string draftHash, string? correctionNote, CancellationToken cancellationToken)
    {
        Normalize();
        try
        {
            var published = await reports.PublishReportAsync(new PublishReportRequest
            {
                CountyCode = Officer.CountyCode,
                Year = Year,
                DraftHash = draftHash ?? "",
                CorrectionNote = correctionNote ?? "",
            }, await CallAsync(cancellationToken));
            TempData[Banner.Success] = $"已发布 {published.Report.Title}（第 {published.Version} 版）。";
            return Redirect($"~/reports/{published.Report.CountyCode}/{published.Report.Year}/{published.Version}");
        }
        catch (RpcException ex) when (ex.StatusCode == Grpc.Core.StatusCode.FailedPrecondition
                                      && ex.GetRpcStatus()?.GetDetail<PreconditionFailure>() is { } failure)
        {
            PublishFailures = failure.Violations;
            await LoadAsync(cancellationToken);
            return Page();
        }
        catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            TempData[Banner.Alert] = ex.StatusCode == Grpc.Core.StatusCode.Aborted
                ? "未能发布：" + ex.Status.Detail
                : OfficerErrors.Explain(ex, logger);
            return RedirectToPage(new { year = Year });
        }
    }

    /// <summary>The value the form shows for one cell.</summary>
    public string Value(EntryRow row, string cell)
    {
        var message = (Google.Protobuf.IMessage?)Active.FindFieldByName(row.Key).Accessor.GetValue(Entries.Active ?? new ActiveDisclosure());
        if (message is null)
        {
            return cell == "total_amount" ? "0" : cell == "source" ? "" : "0";
        }

        var value = message.Descriptor.FindFieldByName(cell).Accessor.GetValue(message);
        return Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
    }

    public static string Field(EntryRow row, string cell) => $"active.{row.Key}.{cell}";

    private async Task<IActionResult> SaveAsync(SaveDraftRequest entries, string done, CancellationToken cancellationToken)
    {
        try
        {
            await reports.SaveDraftAsync(entries, await CallAsync(cancellationToken));
            TempData[Banner.Success] = done;
            return RedirectToPage(new { year = Year });
        }
        catch (RpcException ex) when (ex.StatusCode == Grpc.Core.StatusCode.InvalidArgument)
        {
            Errors = FormErrors.From(ex);
            Entries = entries;
            await LoadAsync(cancellationToken, keepEntries: true);
            return Page();
        }
        catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            TempData[Banner.Alert] = OfficerErrors.Explain(ex, logger);
            return RedirectToPage(new { year = Year });
        }
    }

    private async Task LoadAsync(CancellationToken cancellationToken, bool keepEntries = false)
    {
        try
        {
            Draft = await reports.GetDraftAsync(new GetDraftRequest { CountyCode = Officer.CountyCode, Year = Year }, await CallAsync(cancellationToken));
            if (!keepEntries)
            {
                var report = Draft.Report;
                Entries = new SaveDraftRequest
                {
                    CountyCode = report.CountyCode,
                    Year = report.Year,
                    Active = report.Active,
                    Overview = report.Overview,
                    Problems = report.Problems,
                    OtherMatters = report.OtherMatters,
                };
            }
        }
        catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            LoadError = OfficerErrors.Explain(ex, logger);
        }
    }

    /// <summary>The posted form as entries; cells that are not whole numbers are reported by field.</summary>
    private (SaveDraftRequest Entries, List<(string Field, string Message)> Errors) Read()
    {
        var errors = new List<(string, string)>();
        var active = new ActiveDisclosure();
        foreach (var row in Rows)
        {
            var field = Active.FindFieldByName(row.Key);
            var message = (Google.Protobuf.IMessage)Activator.CreateInstance(field.MessageType.ClrType)!;
            foreach (var cell in row.Cells.Select(c => c.Key).Append("source"))
            {
                var name = Field(row, cell);
                var text = Request.Form[name].ToString().Trim();
                var target = message.Descriptor.FindFieldByName(cell);
                if (target.FieldType == FieldType.String)
                {
                    target.Accessor.SetValue(message, text);
                }
                else if (int.TryParse(text.Length == 0 ? "0" : text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
                {
                    target.Accessor.SetValue(message, number);
                }
                else
                {
                    errors.Add((name, $"{row.Label}的“{row.Cells.First(c => c.Key == cell).Label}”请填写整数"));
                }
            }

            field.Accessor.SetValue(active, message);
        }

        return (new SaveDraftRequest
        {
            CountyCode = Officer.CountyCode,
            Year = Year,
            Active = active,
            Overview = Request.Form["overview"].ToString(),
            Problems = Request.Form["problems"].ToString(),
            OtherMatters = Request.Form["other_matters"].ToString(),
        }, errors);
    }

    private static FormErrors FormErrorsOf(List<(string Field, string Message)> errors)
    {
        var request = new BadRequest();
        request.FieldViolations.AddRange(errors.Select(e => new BadRequest.Types.FieldViolation { Field = e.Field, Description = e.Message }));
        var status = new Google.Rpc.Status { Code = (int)Code.InvalidArgument, Message = "invalid", Details = { Google.Protobuf.WellKnownTypes.Any.Pack(request) } };
        return FormErrors.From(status.ToRpcException());
    }

    private void Normalize()
    {
        Officer = OfficerIdentity.From(HttpContext);
        if (Year < 2008 || Year > LastYear + 1)
        {
            Year = LastYear;
        }
    }

    private Task<CallOptions> CallAsync(CancellationToken cancellationToken) => OfficerIdentity.CallAsync(HttpContext, cancellationToken);

    private DateOnly ChinaToday() => time.Today();

    public sealed record EntryRow(string Key, string Item, string Label, IReadOnlyList<EntryCell> Cells);

    public sealed record EntryCell(string Key, string Label);
}
