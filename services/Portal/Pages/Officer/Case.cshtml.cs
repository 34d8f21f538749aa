using System.Globalization;
using Grpc.Core;
using GrpcCode = Grpc.Core.StatusCode;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Permits.Contracts.Certificate.V1;
using Permits.Contracts.Intake.V1;
using Permits.Contracts.Review.V1;
using Permits.Portal.Pages.Apply;
using Permits.Portal.Pages.Officer.CasePage;
using Permits.Portal.Web;
using Permits.Shared.Domain;
using CaseFileMessage = Permits.Contracts.Review.V1.CaseFile;
using CertificateMessage = Permits.Contracts.Certificate.V1.Certificate;
using ReviewCorrectionItem = Permits.Contracts.Review.V1.CorrectionItem;

namespace Permits.Portal.Pages.Officer;

/// <summary>
/// One case with every recorded fact the officers of its county decide on: the application as filed (Intake's
/// GetCaseApplication), the licence a request concerns beside what it asks, the inspection, the layout check with its
/// numbers, the opinion, the corrections, the history with who and when (Review's GetCaseFile), and the forms of the
/// steps the officer's role may take. Steps redirect back with a banner; a field error re-draws the page with the
/// message next to the field. The irreversible acts (准予, 不予许可, 不予受理) first show what will happen and act
/// only on the second POST, which carries a confirmation token minted for this case, act and officer.
/// </summary>
public sealed partial class CaseModel(
    Cases.CasesClient cases,
    Applications.ApplicationsClient applications,
    Certificates.CertificatesClient certificates,
    FormSpecs specs,
    IDataProtectionProvider protection,
    TimeProvider time,
    ILogger<CaseModel> logger) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "id")]
    public string CaseId { get; set; } = "";

    [BindProperty(SupportsGet = true, Name = "lat")]
    public string? Latitude { get; set; }

    [BindProperty(SupportsGet = true, Name = "lon")]
    public string? Longitude { get; set; }

    private CallOptions _call;

    public OfficerIdentity Officer { get; private set; } = OfficerIdentity.Nobody;

    public CaseFileMessage? Recorded { get; private set; }

    public Case? Current => Recorded?.Case;

    /// <summary>The application as filed; null with <see cref="FiledProblem"/> when Intake would not or could not say.</summary>
    public Application? Filed { get; private set; }

    public IReadOnlyList<Fact> FiledFacts { get; private set; } = [];

    public string? FiledProblem { get; private set; }

    /// <summary>The licence a request concerns, as Certificate holds it now.</summary>
    public CertificateMessage? Licence { get; private set; }

    public string? LicenceNote { get; private set; }

    public IReadOnlyList<LicenceChange> Changes { get; private set; } = [];

    /// <summary>A layout check of a point typed in (a preview, not recorded).</summary>
    public LayoutCheck? Preview { get; private set; }

    public string? Error { get; private set; }

    /// <summary>The field errors of the last POST, shown next to their fields.</summary>
    public FormErrors Errors { get; private set; } = FormErrors.None;

    /// <summary>The irreversible act waiting for its confirmation, when this is the confirmation page.</summary>
    public IrreversibleAct? Pending { get; private set; }

    /// <summary>The reasons typed for the pending act (不予许可, 不予受理 or the approval's override), shown back for the second step.</summary>
    public string? PendingText { get; private set; }

    /// <summary>The token the confirmation form carries: this case, this act, this officer, for a limited time.</summary>
    public string ConfirmationToken => Pending is null ? "" : protection.Mint(ConfirmationSubject(Pending));

    /// <summary>Today in China time, the default inspection date.</summary>
    public string Today => ChinaTime.Text(time.Today());

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Normalize();
        await LoadAsync(cancellationToken);
        if (Recorded is not null && TryPoint(out var lat, out var lon))
        {
            try
            {
                Preview = await cases.CheckLayoutAsync(
                    new CheckLayoutRequest { Action = Officer.Action(CaseId), Latitude = lat, Longitude = lon }, _call);
            }
            catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
            {
                Error = OfficerErrors.Explain(ex, logger);
            }
        }

        return Page();
    }

    public Task<IActionResult> OnPostAcceptAsync(CancellationToken ct) => ActAsync(
        () => cases.AcceptAsync(Officer.Action(CaseId), Call(ct)).ResponseAsync,
        c => $"已受理 {c.ApplicationNumber}，受理通知书文号：{c.AcceptanceDocumentNumber}，审批期限至 {c.DueBy}。");

    public Task<IActionResult> OnPostNotAcceptAsync(string? reasons, string[]? grounds, string? confirmation, CancellationToken ct) => DecideAsync(
        IrreversibleAct.NotAccept, confirmation, reasons,
        () => cases.NotAcceptAsync(Reasoned(reasons, grounds), Call(ct)).ResponseAsync,
        c => $"已作出不予受理决定，决定书文号：{c.DecisionDocumentNumber}。" + PublicationNotice.AfterPosting(Lines(reasons)));

    public Task<IActionResult> OnPostCorrectionAsync(string? items, CancellationToken ct)
    {
        var request = new RequestCorrectionRequest { Action = OfficerIdentity.From(HttpContext).Action(CaseId) };
        foreach (var line in Lines(items))
        {
            var parts = line.Split(['：', ':'], 2);
            request.Items.Add(new ReviewCorrectionItem { Material = parts[0].Trim(), Reason = parts.Length > 1 ? parts[1].Trim() : "" });
        }

        return ActAsync(
            () => cases.RequestCorrectionAsync(request, Call(ct)).ResponseAsync,
            c => $"已出具补正材料告知书（{c.CorrectionDocumentNumber}），共 {request.Items.Count} 项；办理期限暂停计算，剩余 {c.ClockRemainingWorkingDays} 个工作日。");
    }

    public async Task<IActionResult> OnPostInspectionAsync(
        string? secondInspector, string? inspectedOn, string? findings, string? floorArea, string? distances,
        string? photos, List<IFormFile>? photoFiles, bool compliant, string? latitude, string? longitude, CancellationToken ct)
    {
        var request = new RecordInspectionRequest
        {
            Action = OfficerIdentity.From(HttpContext).Action(CaseId),
            SecondInspectorId = secondInspector ?? "",
            InspectedOn = inspectedOn ?? "",
            Findings = findings ?? "",
            MeasuredFloorArea = Number(floorArea),
            PremisesCompliant = compliant,
            Latitude = Number(latitude, missing: 0),
            Longitude = Number(longitude, missing: 0),
        };
        foreach (var line in Lines(distances))
        {
            var parts = line.Split(['：', ':'], 2);
            request.Distances.Add(new MeasuredDistance
            {
                Target = parts[0].Trim(),
                Meters = parts.Length > 1 ? Number(parts[1].Replace("米", "").Replace("m", "")) : -1,
            });
        }

        request.PhotoReferences.AddRange(Lines(photos));
        if (photoFiles is { Count: > 0 })
        {
            // The photos are stored first so the record can name them; a refused photo records nothing.
            Normalize();
            _call = await OfficerIdentity.CallAsync(HttpContext, ct);
            if (await UploadPhotosAsync(photoFiles, ct) is not { } uploaded)
            {
                await LoadAsync(ct);
                return Page();
            }

            request.PhotoReferences.AddRange(uploaded);
        }

        return await ActAsync(
            () => cases.RecordInspectionAsync(request, Call(ct)).ResponseAsync,
            c => $"已登记实地核查记录（{c.InspectionDocumentNumber}）。");
    }

    public Task<IActionResult> OnPostOpinionAsync(string? recommendation, string? opinion, CancellationToken ct) => ActAsync(
        () => cases.RecordOpinionAsync(
            new RecordOpinionRequest { Action = Officer.Action(CaseId), Recommendation = recommendation ?? "", Opinion = opinion ?? "" },
            Call(ct)).ResponseAsync,
        c => $"已提出审核意见（{c.OpinionDocumentNumber}）：{CaseWords.Recommendation(c.Recommendation)}。");

    public Task<IActionResult> OnPostApproveAsync(string? overrideReasons, string? confirmation, CancellationToken ct) => DecideAsync(
        IrreversibleAct.Approve, confirmation, overrideReasons,
        () =>
        {
            var request = Officer.Action(CaseId);
            request.OverrideReasons.AddRange(Lines(overrideReasons));
            return cases.ApproveAsync(request, Call(ct)).ResponseAsync;
        },
        c => $"已准予许可，准予行政许可决定书文号：{c.DecisionDocumentNumber}，须于 {c.DueBy} 前送达。"
             + (c.DecisionOverrideReasons.Count > 0 ? "不采纳核查结论的理由已记入决定和审计记录。" : ""));

    public Task<IActionResult> OnPostDenyAsync(string? reasons, string[]? grounds, string? confirmation, CancellationToken ct) => DecideAsync(
        IrreversibleAct.Deny, confirmation, reasons,
        () => cases.DenyAsync(Reasoned(reasons, grounds), Call(ct)).ResponseAsync,
        c => $"已作出不予行政许可决定，决定书文号：{c.DecisionDocumentNumber}（已附复议、诉讼权利告知）。" + PublicationNotice.AfterPosting(Lines(reasons)));

    public Task<IActionResult> OnPostExtendAsync(string? note, CancellationToken ct) => ActAsync(
        () => cases.ExtendAsync(Officer.Action(CaseId, note ?? ""), Call(ct)).ResponseAsync,
        c => $"已延长审批期限至 {c.DueBy}，延长审批期限告知书文号：{c.ExtensionDocumentNumber}。");

    /// <summary>The head's 不同意 to a pending extension request: Review clears it and keeps the reason in the history.</summary>
    public async Task<IActionResult> OnPostDeclineExtensionAsync(string? declineReason, CancellationToken ct)
    {
        var result = await ActAsync(
            () => cases.DeclineExtensionAsync(Officer.Action(CaseId, declineReason ?? ""), Call(ct)).ResponseAsync,
            c => $"已不同意延长 {c.ApplicationNumber} 的审批期限，理由已记入办理记录。",
            refusedField: "declineReason");
        // Review names the reason "note", which on this page is the 延长 form's field: show it next to this form's own.
        if (Errors.For("note") is { } message)
        {
            Errors = FormErrors.Of("declineReason", message);
        }

        return result;
    }

    public Task<IActionResult> OnPostRequestExtensionAsync(string? note, CancellationToken ct) => ActAsync(
        () => cases.RequestExtensionAsync(Officer.Action(CaseId, note ?? ""), Call(ct)).ResponseAsync,
        c => $"已请审批负责人延长 {c.ApplicationNumber} 的审批期限，等待其决定。");

    public Task<IActionResult> OnPostReleaseAsync(CancellationToken ct) => ActAsync(
        () => cases.ReleaseAsync(Officer.Action(CaseId), Call(ct)).ResponseAsync,
        c => $"已将 {c.ApplicationNumber} 退回队列。");

    public string ClockLabel => Current?.ClockPhase switch
    {
        "Acceptance" => "受理期限（5 个工作日）",
        "Decision" => Current.DecisionPeriodExtended ? "审批期限（20 + 10 个工作日）" : "审批期限（20 个工作日）",
        "Service" => "送达期限（10 个工作日）",
        "Stopped" => "已结束",
        _ => "—",
    };

    public bool Can(string role, params string[] stages) =>
        Current is not null && Officer.HasRole(role) && stages.Contains(Current.Stage);

    public bool HasActions =>
        Can("clerk", "AwaitingAcceptance", "UnderReview") || Can("inspector", "UnderReview")
        || Can("reviewer", "UnderReview") || Can("head", "UnderReview");

    /// <summary>An inspector or reviewer working the case may ask the head for more time, once.</summary>
    public bool CanRequestExtension =>
        (Can("inspector", "UnderReview") || Can("reviewer", "UnderReview"))
        && Current is { DecisionPeriodExtended: false, ExtensionRequested: false };

    /// <summary>What the officer posted, to show back in the form when a field was refused.</summary>
    public string? Posted(string name) =>
        Request.HasFormContentType && Request.Form.TryGetValue(name, out var value) ? value.ToString() : null;

    /// <summary>The legal grounds the officer's county lists, offered on the refusal forms; empty when unreadable.</summary>
    public IReadOnlyList<RefusalGroundOption> Grounds { get; private set; } = [];

    /// <summary>The grounds ticked on the form just posted, kept checked on the page drawn back.</summary>
    public IReadOnlyCollection<string> PostedGrounds =>
        Request.HasFormContentType && Request.Form.TryGetValue("grounds", out var values) ? [.. values.OfType<string>()] : [];

    public bool MayRefuse => Can("clerk", "AwaitingAcceptance") || Can("head", "UnderReview");

    private ReasonedActionRequest Reasoned(string? reasons, string[]? grounds)
    {
        var request = new ReasonedActionRequest { Action = Officer.Action(CaseId) };
        request.Reasons.AddRange(Lines(reasons));
        request.GroundCodes.AddRange((grounds ?? []).Where(g => !string.IsNullOrWhiteSpace(g)));
        return request;
    }

    private async Task LoadGroundsAsync()
    {
        if (!MayRefuse)
        {
            return;
        }

        try
        {
            Grounds = (await cases.ListRefusalGroundsAsync(new ListRefusalGroundsRequest(), _call)).Grounds;
        }
        catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            // The forms say the list is unreadable; Review still refuses a refusal without a ground.
            LogReadFailed(logger, ex, "ListRefusalGrounds", ex.StatusCode);
        }
    }

    /// <summary>The case file, the application as filed and the licence a request concerns; a refusal shows as <see cref="Error"/>.</summary>
    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        _call = await OfficerIdentity.CallAsync(HttpContext, cancellationToken);
        try
        {
            // Review refuses (and audits) another county's case: the officer's token decides, not this page.
            Recorded = await cases.GetCaseFileAsync(new GetCaseRequest { CaseId = CaseId }, _call);
        }
        catch (RpcException ex) when (ex.StatusCode == GrpcCode.Unimplemented)
        {
            // A Review not yet upgraded (the Portal may roll out first): the case alone, without the file's records.
            Recorded = await CaseOnlyAsync();
            if (Recorded is null)
            {
                return;
            }
        }
        catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            Error = Unreadable(ex);
            return;
        }

        await LoadFiledAsync(Recorded.Case, cancellationToken);
        await LoadLicenceAsync(Recorded.Case);
        await LoadGroundsAsync();
    }

    private string Unreadable(RpcException ex) =>
        OfficerErrors.Explain(ex, logger).Replace("未能办理：", "未能查看：", StringComparison.Ordinal);

    private async Task<CaseFileMessage?> CaseOnlyAsync()
    {
        try
        {
            return new CaseFileMessage { Case = await cases.GetCaseAsync(new GetCaseRequest { CaseId = CaseId }, _call) };
        }
        catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            Error = Unreadable(ex);
            return null;
        }
    }

    private async Task LoadFiledAsync(Case c, CancellationToken cancellationToken)
    {
        try
        {
            Filed = await applications.GetCaseApplicationAsync(new GetApplicationRequest { ApplicationId = c.ApplicationId }, _call);
        }
        catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            FiledProblem = ex.StatusCode is GrpcCode.PermissionDenied or GrpcCode.NotFound
                ? "无法查阅申请表：" + ex.Status.Detail
                : "申请表暂时无法读取，请稍后刷新。";
            if (ex.StatusCode is not (GrpcCode.PermissionDenied or GrpcCode.NotFound))
            {
                LogReadFailed(logger, ex, "GetCaseApplication", ex.StatusCode);
            }

            return;
        }

        IReadOnlyList<FormField> fields;
        try
        {
            fields = (await specs.GetAsync(applications, Filed.CountyCode, Filed.Form.RequestType, cancellationToken)).Fields;
        }
        catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            // The labels of Intake's last answer still name the fields.
            LogReadFailed(logger, ex, "GetFormSpec", ex.StatusCode);
            fields = specs.Fields;
        }

        FiledFacts = FiledApplication.Facts(Filed.Form, fields);
    }

    private async Task LoadLicenceAsync(Case c)
    {
        if (c.LicenceNumber.Length == 0)
        {
            return;
        }

        try
        {
            Licence = await certificates.GetCertificateAsync(new GetCertificateRequest { LicenceNumber = c.LicenceNumber }, _call);
            Changes = Filed is null ? [] : LicenceChanges.Of(c.RequestType, Licence, Filed.Form);
        }
        catch (RpcException ex) when (ex.StatusCode is GrpcCode.NotFound)
        {
            LicenceNote = "电子证照系统中没有这个许可证号。";
        }
        catch (RpcException ex) when (ex.StatusCode is GrpcCode.PermissionDenied or GrpcCode.Unauthenticated)
        {
            LicenceNote = ex.Status.Detail;
        }
        catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            LogReadFailed(logger, ex, "GetCertificate", ex.StatusCode);
            LicenceNote = "许可证信息暂时无法读取，请稍后刷新。";
        }
    }

    /// <summary>
    /// An irreversible act: without a valid confirmation token it only shows what will happen (the summary page, with
    /// the token for the second step); with it, it acts. A field error keeps the confirmation page, the message next
    /// to the field.
    /// </summary>
    private async Task<IActionResult> DecideAsync(
        IrreversibleAct act, string? confirmation, string? text, Func<Task<Case>> action, Func<Case, string> done)
    {
        Normalize();
        // Someone without the act's role is refused by Review (and audited) without a summary they could not confirm.
        if (Officer.HasRole(act.Role) && !Confirmed(act, confirmation))
        {
            await LoadAsync(HttpContext.RequestAborted);
            Pending = Recorded is null ? null : act;
            PendingText = text;
            return Page();
        }

        // Review refuses an approval past a failed check without reasons: the reasons box is the field to fix.
        var answer = await ActAsync(action, done, act == IrreversibleAct.Approve && !Lines(text).Any() ? act.Field : null);
        if (Errors.Any)
        {
            Pending = act;
            PendingText = text;
        }

        return answer;
    }

    /// <param name="refusedField">The field a refusal (FAILED_PRECONDITION) concerns, when the page knows it.</param>
    private async Task<IActionResult> ActAsync(Func<Task<Case>> action, Func<Case, string> confirmation, string? refusedField = null)
    {
        Normalize();
        _call = await OfficerIdentity.CallAsync(HttpContext, HttpContext.RequestAborted);
        try
        {
            TempData[Banner.Success] = confirmation(await action());
        }
        catch (RpcException ex) when (ex.StatusCode == GrpcCode.InvalidArgument && !HttpContext.RequestAborted.IsCancellationRequested)
        {
            // The officer fixes the field on the page they filled, their text still in it.
            Errors = FormErrors.From(ex).Reworded(m => OfficerErrors.InWords(m, GrpcCode.InvalidArgument));
            await LoadAsync(HttpContext.RequestAborted);
            return Page();
        }
        catch (RpcException ex) when (ex.StatusCode == GrpcCode.FailedPrecondition && refusedField is not null
                                       && !HttpContext.RequestAborted.IsCancellationRequested)
        {
            Errors = FormErrors.Of(refusedField, OfficerErrors.InWords(ex.Status.Detail));
            await LoadAsync(HttpContext.RequestAborted);
            return Page();
        }
        catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            TempData[Banner.Alert] = OfficerErrors.Explain(ex, logger);
        }

        return RedirectToPage(OfficerIdentity.RouteValues(new { id = CaseId }));
    }

    private string ConfirmationSubject(IrreversibleAct act) => $"case|{CaseId}|{act.Handler}|{Officer.OfficerId}";

    private bool Confirmed(IrreversibleAct act, string? confirmation) => protection.Confirms(ConfirmationSubject(act), confirmation);

    private static IEnumerable<string> Lines(string? text) =>
        (text ?? "").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0);

    private static double Number(string? text, double missing = -1) =>
        double.TryParse(text?.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : missing;

    private bool TryPoint(out double lat, out double lon)
    {
        lat = Number(Latitude);
        lon = Number(Longitude);
        return !string.IsNullOrWhiteSpace(Latitude) && !string.IsNullOrWhiteSpace(Longitude) && lat != -1 && lon != -1;
    }

    /// <summary>The officer's token on the call (read by <see cref="ActAsync"/> before the action runs).</summary>
    private CallOptions Call(CancellationToken ct) => _call.WithCancellationToken(ct);

    private void Normalize() => Officer = OfficerIdentity.From(HttpContext);

    [LoggerMessage(LogLevel.Warning, "Reading the case page's {Call} failed with {StatusCode}")]
    private static partial void LogReadFailed(ILogger logger, Exception exception, string call, GrpcCode statusCode);
}
