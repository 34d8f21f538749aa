using Grpc.Core;
using GrpcCode = Grpc.Core.StatusCode;
using Microsoft.AspNetCore.Mvc;
using Permits.Contracts.Intake.V1;
using Permits.Portal.Pages.My;
using Permits.Portal.Web;
using Permits.Shared.Domain;
using RequestTypes = Permits.Contracts.Licensing.RequestTypes;

namespace Permits.Portal.Pages.Apply;

/// <summary>
/// 申请表: one form; Intake checks it and every problem comes back next to its field. The signed-in shopkeeper may
/// save it as a draft (<c>?draft=</c> brings it back) or, answering a correction notice, resubmit it
/// (<c>?resubmit=</c> the application id: the form comes back filled, with the items to fix listed above it).
/// It shows the fields the chosen request type asks for in the chosen county, marked 必填/选填 (Intake's GetFormSpec,
/// the spec Submit checks against); without JavaScript, “按所选事项显示表单” posts the form back to redraw it, and the
/// values of fields that drop out travel on hidden, so nothing typed is lost. <c>?county=&amp;type=</c> preselect.
/// Every failed call is answered one way (<see cref="FailedAsync"/>): the form comes back as typed, with the reason.
/// </summary>
[RequestSizeLimit(4 * 1024 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = 4 * 1024 * 1024)]
public sealed partial class IndexModel(
    Applications.ApplicationsClient applications,
    FormSpecs specs,
    CountyDirectory counties,
    IConfiguration configuration,
    ILogger<IndexModel> logger) : ApplicantPage(configuration)
{
    /// <summary>The draft's materials so far.</summary>
    public IReadOnlyList<Material> Materials { get; private set; } = [];

    [BindProperty]
    public string? MaterialKind { get; set; }

    [BindProperty]
    public IFormFile? MaterialFile { get; set; }

    [BindProperty]
    public ApplicationForm Form { get; set; } = ApplicationForm.Blank();

    public FormErrors Errors { get; private set; } = FormErrors.None;

    /// <summary>Set when Intake could not be reached or failed; the form keeps every value so the applicant can resubmit.</summary>
    public string? ServiceProblem { get; private set; }

    /// <summary>Set after a correction's file was uploaded (the page is shown again, not redirected, to keep the form as typed).</summary>
    public string? Notice { get; private set; }

    public IReadOnlyList<Option> Counties =>
        counties.All.Select(c => new Option(c.Code, c.Name)).ToList();

    /// <summary>The items of the correction notice being answered (补正), shown above the form.</summary>
    public IReadOnlyList<CorrectionItem> Corrections { get; private set; } = [];

    public string? CorrectionDocumentNumber { get; private set; }

    public bool IsResubmission => !string.IsNullOrEmpty(Form.ResubmitId);

    public async Task<IActionResult> OnGetAsync(string? draft, string? resubmit, string? county, string? type, CancellationToken cancellationToken)
    {
        if (RequireSignIn() is { } signIn)
        {
            return signIn;
        }

        if (county is not null && counties.TryGet(county, out _))
        {
            Form.CountyCode = county;
        }

        if (RequestTypes.TryGet(type, out var chosen))
        {
            Form.RequestType = chosen.Code;
        }

        try
        {
            if (!string.IsNullOrEmpty(resubmit))
            {
                var application = await applications.GetMyApplicationAsync(
                    new GetApplicationRequest { ApplicationId = resubmit }, await HeadersAsync(), cancellationToken: cancellationToken);
                Form = ApplicationForm.From(application.Form ?? new SubmitApplicationRequest());
                Form.ResubmitId = application.ApplicationId;
                ShowCorrections(application);
            }
            else if (!string.IsNullOrEmpty(draft))
            {
                var saved = await applications.GetDraftAsync(
                    new GetDraftRequest { DraftId = draft }, await HeadersAsync(), cancellationToken: cancellationToken);
                Form = ApplicationForm.From(saved.Form);
                Form.DraftId = saved.DraftId;
                Materials = saved.Materials.ToList();
            }
        }
        catch (RpcException ex) when (NeedsSignIn(ex))
        {
            return SignIn();
        }
        catch (RpcException ex) when (CallFailures.Of(ex) == CallFailure.NotFound)
        {
            TempData[Banner.Alert] = "没有找到该草稿或申请，请从“我的办件”重新进入。";
            return Redirect("/my");
        }

        return await ShowAsync(cancellationToken);
    }

    /// <summary>按所选事项显示表单: the same form again, with the fields the chosen type and county ask for; nothing saved, nothing lost.</summary>
    public async Task<IActionResult> OnPostMatterAsync(CancellationToken cancellationToken)
    {
        if (RequireSignIn() is { } signIn)
        {
            return signIn;
        }

        await LoadMaterialsAsync(cancellationToken);
        return await ShowAsync(cancellationToken);
    }

    /// <summary>保存草稿: nothing is checked; every value is kept as typed.</summary>
    public async Task<IActionResult> OnPostDraftAsync(CancellationToken cancellationToken)
    {
        if (RequireSignIn() is { } signIn)
        {
            return signIn;
        }

        try
        {
            var saved = await applications.SaveDraftAsync(
                new SaveDraftRequest { DraftId = Form.DraftId ?? "", Form = Form.ToRequest() }, await HeadersAsync(),
                cancellationToken: cancellationToken);
            TempData[Banner.Success] = "草稿已保存。可随时在“我的办件”中继续填写。";
            return Redirect("/apply?draft=" + Uri.EscapeDataString(saved.DraftId));
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
        {
            return await FailedAsync(ex, "草稿未能保存", "请稍后再试", cancellationToken);
        }
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (RequireSignIn() is { } signIn)
        {
            return signIn;
        }

        if (string.IsNullOrWhiteSpace(Form.ClientRequestId))
        {
            Form.ClientRequestId = Guid.NewGuid().ToString("N");
        }

        try
        {
            if (IsResubmission)
            {
                var resubmitted = await applications.ResubmitAsync(
                    new ResubmitApplicationRequest { ApplicationId = Form.ResubmitId, Form = Form.ToRequest() }, await HeadersAsync(),
                    cancellationToken: cancellationToken);
                TempData[Banner.Success] = $"补正材料已提交（申请编号 {resubmitted.ApplicationNumber}），将回到原办理机关继续审查。";
                return Redirect("/my/" + Uri.EscapeDataString(resubmitted.ApplicationId));
            }

            var reply = await applications.SubmitAsync(Form.ToRequest(), await HeadersAsync(), cancellationToken: cancellationToken);
            TempData[Banner.Success] = $"申请已提交，申请编号：{reply.ApplicationNumber}，查询码：{reply.QueryCode}。"
                + "请记下编号和查询码：凭两者（或联系电话后四位）可随时查询办理进度。查询码只显示这一次。";
            TempData[ApplicationModel.QueryCodeKey(reply.ApplicationId)] = reply.QueryCode;
            return SignInEnabled
                ? Redirect("/my/" + Uri.EscapeDataString(reply.ApplicationId))
                : RedirectToPage("/Track/Progress", new { number = reply.ApplicationNumber });
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Keep the form: the same client request id makes resubmitting safe even if this one went through.
            return await FailedAsync(ex, "提交未成功", "请稍后再点“提交申请”，不会重复提交", cancellationToken);
        }
    }

    /// <summary>
    /// The one answer to a failed call of this page: to sign in again; otherwise the form again as typed, with the
    /// field messages next to their fields, or the reason above the form (refused 409, not this shopkeeper's 400,
    /// Intake away 503, a fault 500, logged).
    /// </summary>
    /// <param name="failed">What did not happen (提交未成功, 草稿未能保存, …).</param>
    /// <param name="retry">What to do about a failure of the system.</param>
    private async Task<IActionResult> FailedAsync(RpcException ex, string failed, string retry, CancellationToken cancellationToken)
    {
        var failure = CallFailures.Of(ex);
        switch (failure)
        {
            case CallFailure.SignIn:
                return SignIn();
            case CallFailure.Fields:
                Errors = FormErrors.From(ex, under: "form.");
                break;
            case CallFailure.Refused:
                ServiceProblem = ex.Status.Detail;
                Response.StatusCode = StatusCodes.Status409Conflict;
                break;
            case CallFailure.NotFound:
                // The hidden DraftId or ResubmitId names nothing of this shopkeeper's (tampered, or a stale page).
                ServiceProblem = IsResubmission
                    ? "未找到要补正的申请：请从“我的办件”中打开该申请，再点“补正”。"
                    : "未找到该草稿：请从“我的办件”中重新打开草稿。";
                Response.StatusCode = StatusCodes.Status400BadRequest;
                break;
            default:
                LogCallFailed(logger, ex, failed, ex.StatusCode);
                ServiceProblem = failure == CallFailure.Unavailable
                    ? $"{failed}：办理系统暂时无法响应。您填写的内容已保留，{retry}。"
                    : $"{failed}：系统出了点问题。您填写的内容已保留，{retry}。";
                Response.StatusCode = failure == CallFailure.Unavailable
                    ? StatusCodes.Status503ServiceUnavailable
                    : StatusCodes.Status500InternalServerError;
                break;
        }

        await LoadMaterialsAsync(cancellationToken);
        return await ShowAsync(cancellationToken);
    }

    [LoggerMessage(LogLevel.Warning, "The form spec could not be read ({StatusCode}); every field is shown")]
    private static partial void LogSpecFailed(ILogger logger, Exception exception, GrpcCode statusCode);

    [LoggerMessage(LogLevel.Warning, "An application form call failed ({Failed}) with {StatusCode}")]
    private static partial void LogCallFailed(ILogger logger, Exception exception, string failed, GrpcCode statusCode);
}
