using System.Globalization;
using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Permits.Contracts.Review.V1;
using Permits.Portal.Web;
using Permits.Shared.Domain;

namespace Permits.Portal.Pages.Officer;

/// <summary>
/// One case: the application, its materials, the legal clock, the layout check, and the forms of the steps the
/// officer's role may take in the case's stage. Every action redirects back with a banner saying what happened.
/// </summary>
public sealed class CaseModel(
    Cases.CasesClient cases, TimeProvider time, ILogger<CaseModel> logger) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "id")]
    public string CaseId { get; set; } = "";

    [BindProperty(SupportsGet = true, Name = "lat")]
    public string? Latitude { get; set; }

    [BindProperty(SupportsGet = true, Name = "lon")]
    public string? Longitude { get; set; }

    private CallOptions _call;

    public OfficerIdentity Officer { get; private set; } = OfficerIdentity.Nobody;

    public Case? Current { get; private set; }

    public LayoutCheck? Layout { get; private set; }

    public string? Error { get; private set; }

    /// <summary>Today in China time, the default inspection date.</summary>
    public string Today => ChinaTime.Text(time.Today());

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Normalize();
        try
        {
            // Review refuses (and audits) another county's case: the officer's token decides, not this page.
            Current = await cases.GetCaseAsync(new GetCaseRequest { CaseId = CaseId }, await OfficerIdentity.CallAsync(HttpContext, cancellationToken));

            if (TryPoint(out var lat, out var lon))
            {
                Layout = await cases.CheckLayoutAsync(
                    new CheckLayoutRequest { Action = Officer.Action(CaseId), Latitude = lat, Longitude = lon },
                    await OfficerIdentity.CallAsync(HttpContext, cancellationToken));
            }
        }
        catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            Error = OfficerErrors.Explain(ex, logger);
        }

        return Page();
    }

    public Task<IActionResult> OnPostAcceptAsync(CancellationToken ct) => ActAsync(
        () => cases.AcceptAsync(Officer.Action(CaseId), Call(ct)).ResponseAsync,
        c => $"已受理 {c.ApplicationNumber}，受理通知书文号：{c.AcceptanceDocumentNumber}，审批期限至 {c.DueBy}。");

    public Task<IActionResult> OnPostNotAcceptAsync(string? reasons, CancellationToken ct) => ActAsync(
        () => cases.NotAcceptAsync(Reasoned(reasons), Call(ct)).ResponseAsync,
        c => $"已作出不予受理决定，决定书文号：{c.DecisionDocumentNumber}。" + PublicationNotice.AfterPosting(Lines(reasons)));

    public Task<IActionResult> OnPostCorrectionAsync(string? items, CancellationToken ct)
    {
        Normalize();
        var request = new RequestCorrectionRequest { Action = Officer.Action(CaseId) };
        foreach (var line in Lines(items))
        {
            var parts = line.Split(['：', ':'], 2);
            request.Items.Add(new CorrectionItem { Material = parts[0].Trim(), Reason = parts.Length > 1 ? parts[1].Trim() : "" });
        }

        return ActAsync(
            () => cases.RequestCorrectionAsync(request, Call(ct)).ResponseAsync,
            c => $"已出具补正材料告知书（{c.CorrectionDocumentNumber}），共 {request.Items.Count} 项；办理期限暂停计算，剩余 {c.ClockRemainingWorkingDays} 个工作日。");
    }

    public Task<IActionResult> OnPostInspectionAsync(
        string? secondInspector, string? inspectedOn, string? findings, string? floorArea, string? distances,
        string? photos, bool compliant, CancellationToken ct)
    {
        Normalize();
        var request = new RecordInspectionRequest
        {
            Action = Officer.Action(CaseId),
            SecondInspectorId = secondInspector ?? "",
            InspectedOn = inspectedOn ?? "",
            Findings = findings ?? "",
            MeasuredFloorArea = Number(floorArea),
            PremisesCompliant = compliant,
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
        return ActAsync(
            () => cases.RecordInspectionAsync(request, Call(ct)).ResponseAsync,
            c => $"已登记实地核查记录（{c.InspectionDocumentNumber}）。");
    }

    public Task<IActionResult> OnPostOpinionAsync(string? recommendation, string? opinion, CancellationToken ct) => ActAsync(
        () => cases.RecordOpinionAsync(
            new RecordOpinionRequest { Action = Officer.Action(CaseId), Recommendation = recommendation ?? "", Opinion = opinion ?? "" },
            Call(ct)).ResponseAsync,
        c => $"已提出审核意见（{c.OpinionDocumentNumber}）：建议{(c.Recommendation == "Approve" ? "准予" : "不予")}许可。");

    public Task<IActionResult> OnPostApproveAsync(CancellationToken ct) => ActAsync(
        () => cases.ApproveAsync(Officer.Action(CaseId), Call(ct)).ResponseAsync,
        c => $"已准予许可，准予行政许可决定书文号：{c.DecisionDocumentNumber}，须于 {c.DueBy} 前送达。");

    public Task<IActionResult> OnPostDenyAsync(string? reasons, CancellationToken ct) => ActAsync(
        () => cases.DenyAsync(Reasoned(reasons), Call(ct)).ResponseAsync,
        c => $"已作出不予行政许可决定，决定书文号：{c.DecisionDocumentNumber}（已附复议、诉讼权利告知）。" + PublicationNotice.AfterPosting(Lines(reasons)));

    public Task<IActionResult> OnPostExtendAsync(string? reason, CancellationToken ct) => ActAsync(
        () => cases.ExtendAsync(Officer.Action(CaseId, reason ?? ""), Call(ct)).ResponseAsync,
        c => $"已延长审批期限至 {c.DueBy}，延长审批期限告知书文号：{c.ExtensionDocumentNumber}。");

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

    private ReasonedActionRequest Reasoned(string? reasons)
    {
        var request = new ReasonedActionRequest { Action = Officer.Action(CaseId) };
        request.Reasons.AddRange(Lines(reasons));
        return request;
    }

    private async Task<IActionResult> ActAsync(Func<Task<Case>> action, Func<Case, string> confirmation)
    {
        Normalize();
        _call = await OfficerIdentity.CallAsync(HttpContext, HttpContext.RequestAborted);
        try
        {
            TempData[Banner.Success] = confirmation(await action());
        }
        catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            TempData[Banner.Alert] = OfficerErrors.Explain(ex, logger);
        }

        return RedirectToPage(OfficerIdentity.RouteValues(new { id = CaseId }));
    }

    private static IEnumerable<string> Lines(string? text) =>
        (text ?? "").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0);

    private static double Number(string? text) =>
        double.TryParse(text?.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : -1;

    private bool TryPoint(out double lat, out double lon)
    {
        lat = Number(Latitude);
        lon = Number(Longitude);
        return !string.IsNullOrWhiteSpace(Latitude) && !string.IsNullOrWhiteSpace(Longitude) && lat != -1 && lon != -1;
    }

    /// <summary>The officer's token on the call (read by <see cref="ActAsync"/> before the action runs).</summary>
    private CallOptions Call(CancellationToken ct) => _call.WithCancellationToken(ct);

    private void Normalize() => Officer = OfficerIdentity.From(HttpContext);
}
