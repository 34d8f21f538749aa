using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Permits.Contracts.Disclosure.V1;
using Permits.Portal.Web;

namespace Permits.Portal.Pages.Officer.DisclosureRequests;

/// <summary>
/// One request at the desk: the requester's details, the legal clock, the steps taken (who, when), and the forms for
/// the steps its state allows. Each step posts, then comes back here with what happened (post–redirect–get).
/// </summary>
public sealed class CaseModel(InformationRequestDesk.InformationRequestDeskClient desk, ILogger<CaseModel> logger) : PageModel
{
    public static readonly IReadOnlyList<Option> Outcomes =
    [
        new("Disclosed", "予以公开"),
        new("PartlyDisclosed", "部分公开（区分处理的，只计这一情形）"),
        new("WithheldStateSecret", "不予公开：属于国家秘密"),
        new("WithheldProhibitedByLaw", "不予公开：其他法律行政法规禁止公开"),
        new("WithheldEndangersSafety", "不予公开：危及“三安全一稳定”"),
        new("WithheldThirdPartyRights", "不予公开：保护第三方合法权益"),
        new("WithheldInternalAffairs", "不予公开：属于三类内部事务信息"),
        new("WithheldProcessInformation", "不予公开：属于四类过程性信息"),
        new("WithheldEnforcementFile", "不予公开：属于行政执法案卷"),
        new("WithheldAdministrativeQuery", "不予公开：属于行政查询事项"),
        new("UnavailableNotHeld", "无法提供：本机关不掌握相关政府信息"),
        new("UnavailableNeedsCreation", "无法提供：没有现成信息需要另行制作"),
        new("UnavailableStillUnclear", "无法提供：补正后申请内容仍不明确"),
        new("NotProcessedPetition", "不予处理：信访举报投诉类申请"),
        new("NotProcessedRepeated", "不予处理：重复申请"),
        new("NotProcessedPublication", "不予处理：要求提供公开出版物"),
        new("NotProcessedExcessive", "不予处理：无正当理由大量反复申请"),
        new("NotProcessedConfirmation", "不予处理：要求行政机关确认或重新出具已获取信息"),
        new("OtherOverdueFee", "其他处理：逾期未按收费通知要求缴纳费用"),
        new("OtherOther", "其他处理：其他"),
    ];

    public static readonly IReadOnlyList<Option> AppealKinds =
    [
        new("Reconsideration", "行政复议"),
        new("LitigationDirect", "行政诉讼（未经复议直接起诉）"),
        new("LitigationAfterReconsideration", "行政诉讼（复议后起诉）"),
    ];

    public static readonly IReadOnlyList<Option> AppealResults =
    [
        new("Pending", "尚未审结"),
        new("Upheld", "结果维持"),
        new("Corrected", "结果纠正"),
        new("Other", "其他结果"),
    ];

    [BindProperty(SupportsGet = true)]
    public string Number { get; set; } = "";

    public InformationRequestView? InfoRequest { get; private set; }

    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        try
        {
            InfoRequest = await desk.GetRequestAsync(
                new GetInformationRequestRequest { RequestNumber = Number }, await OfficerIdentity.CallAsync(HttpContext, cancellationToken));
        }
        catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            Problem = OfficerErrors.Explain(ex, logger);
        }

        return Page();
    }

    public Task<IActionResult> OnPostCorrectionAsync(string notice, int days, CancellationToken ct) =>
        ActAsync(async options => await desk.RequestCorrectionAsync(
            new RequestInformationCorrection { RequestNumber = Number, Notice = notice ?? "", CorrectionWorkingDays = days }, options),
            "已出具补正告知书，答复计时停止。", ct);

    public Task<IActionResult> OnPostStartConsultationAsync(string thirdParty, CancellationToken ct) =>
        ActAsync(async options => await desk.StartConsultationAsync(
            new StartThirdPartyConsultation { RequestNumber = Number, ThirdParty = thirdParty ?? "" }, options),
            "已开始征求第三方意见，答复计时暂停。", ct);

    public Task<IActionResult> OnPostEndConsultationAsync(string note, CancellationToken ct) =>
        ActAsync(async options => await desk.EndConsultationAsync(
            new EndThirdPartyConsultation { RequestNumber = Number, Note = note ?? "" }, options),
            "第三方意见征询结束，恢复计时。", ct);

    public Task<IActionResult> OnPostExtendAsync(string approvedBy, string reason, CancellationToken ct) =>
        ActAsync(async options => await desk.ExtendAsync(
            new ExtendInformationRequest { RequestNumber = Number, ApprovedBy = approvedBy ?? "", Reason = reason ?? "" }, options),
            "已延长答复期限 20 个工作日。", ct);

    public Task<IActionResult> OnPostAnswerAsync(string outcome, string reason, CancellationToken ct) =>
        ActAsync(async options => await desk.AnswerAsync(
            new AnswerInformationRequest { RequestNumber = Number, Outcome = outcome ?? "", Reason = reason ?? "" }, options),
            "已作出答复，申请办结。", ct);

    public Task<IActionResult> OnPostCloseOverdueAsync(string note, CancellationToken ct) =>
        ActAsync(async options => await desk.CloseOverdueCorrectionAsync(
            new CloseOverdueCorrectionRequest { RequestNumber = Number, Note = note ?? "" }, options),
            "申请人逾期未补正，已办结（不再处理）。", ct);

    public Task<IActionResult> OnPostAppealAsync(string kind, string filedOn, string result, string concludedOn, string note, CancellationToken ct) =>
        ActAsync(async options => await desk.RecordAppealAsync(
            new RecordInformationAppeal
            {
                RequestNumber = Number,
                Kind = kind ?? "",
                FiledOn = filedOn ?? "",
                Result = result == "Pending" ? "" : result ?? "",
                ConcludedOn = concludedOn ?? "",
                Note = note ?? "",
            }, options),
            "已登记复议或诉讼。", ct);

    public Task<IActionResult> OnPostAppealOutcomeAsync(string appealId, string result, string concludedOn, CancellationToken ct) =>
        ActAsync(async options => await desk.RecordAppealOutcomeAsync(
            new RecordInformationAppealOutcome { RequestNumber = Number, AppealId = appealId ?? "", Result = result ?? "", ConcludedOn = concludedOn ?? "" }, options),
            "已登记审结结果。", ct);

    public static string Label(IReadOnlyList<Option> options, string value) => options.FirstOrDefault(o => o.Value == value)?.Label ?? value;

    private async Task<IActionResult> ActAsync(Func<CallOptions, Task<InformationRequestView>> call, string success, CancellationToken ct)
    {
        try
        {
            await call(await OfficerIdentity.CallAsync(HttpContext, ct));
            TempData[Banner.Success] = success;
        }
        catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            TempData[Banner.Alert] = OfficerErrors.Explain(ex, logger);
        }

        return RedirectToPage(new { number = Number });
    }
}
