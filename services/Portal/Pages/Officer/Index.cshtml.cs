using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Permits.Contracts.Review.V1;
using Permits.Portal.Web;
using Permits.Shared.Domain;

namespace Permits.Portal.Pages.Officer;

/// <summary>
/// 审查工作台: the county's open cases, nearest legal deadline first, filtered by stage and request type, with
/// counts per stage; claim a case or take the next one. Only the signed-in officer's own county (the folder
/// requires the portal-officer policy); every call carries their access token.
/// </summary>
public sealed class IndexModel(Cases.CasesClient cases, CountyDirectory counties, ILogger<IndexModel> logger) : PageModel
{
    private const int QueuePageSize = 100;

    public static readonly IReadOnlyList<Option> Stages =
    [
        new("", "全部办理中"),
        new("AwaitingAcceptance", "待受理"),
        new("AwaitingCorrection", "待补正"),
        new("UnderReview", "审查中"),
    ];

    /// <summary>The type filter: every type, or one of the catalogue's.</summary>
    public static readonly IReadOnlyList<Option> RequestTypes = [new("", "全部类型"), .. Labels.RequestTypes];

    public string CountyCode { get; private set; } = "";

    [BindProperty(SupportsGet = true, Name = "stage")]
    public string? Stage { get; set; }

    [BindProperty(SupportsGet = true, Name = "type")]
    public string? RequestType { get; set; }

    public OfficerIdentity Officer { get; private set; } = OfficerIdentity.Nobody;

    public IReadOnlyList<Option> Counties => counties.All.Select(c => new Option(c.Code, c.Name)).ToList();

    public IReadOnlyList<Case> Queue { get; private set; } = [];

    public IReadOnlyDictionary<string, int> StageCounts { get; private set; } = new Dictionary<string, int>();

    public int Total { get; private set; }

    public string? CountyError { get; private set; }

    public string? QueueError { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Normalize();
        try
        {
            var reply = await cases.ListQueueAsync(
                new ListQueueRequest
                {
                    CountyCode = Officer.CountyCode,
                    Stage = Stage ?? "",
                    RequestType = RequestType ?? "",
                    PageSize = QueuePageSize,
                },
                await OfficerIdentity.CallAsync(HttpContext, cancellationToken));
            Queue = reply.Cases;
            Total = reply.Total;
            StageCounts = reply.StageCounts;
        }
        catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            QueueError = OfficerErrors.Explain(ex, logger);
        }
    }

    public async Task<IActionResult> OnPostClaimAsync(string caseId, CancellationToken cancellationToken)
    {
        Normalize();
        try
        {
            var done = await cases.ClaimAsync(Officer.Action(caseId), await OfficerIdentity.CallAsync(HttpContext, cancellationToken));
            TempData[Banner.Success] = $"已领取 {done.ApplicationNumber}（{done.BusinessName}），请在租期内办理。";
            return RedirectToPage("Case", OfficerIdentity.RouteValues(new { id = done.CaseId }));
        }
        catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            TempData[Banner.Alert] = OfficerErrors.Explain(ex, logger);
            return RedirectToPage(OfficerIdentity.RouteValues(new { stage = Stage, type = RequestType }));
        }
    }

    public async Task<IActionResult> OnPostClaimNextAsync(CancellationToken cancellationToken)
    {
        Normalize();
        try
        {
            var done = await cases.ClaimNextAsync(
                new ClaimNextRequest { Action = Officer.Action(""), Stage = Stage ?? "", RequestType = RequestType ?? "" },
                await OfficerIdentity.CallAsync(HttpContext, cancellationToken));
            TempData[Banner.Success] = $"已领取期限最近的案件 {done.ApplicationNumber}（{done.BusinessName}）。";
            return RedirectToPage("Case", OfficerIdentity.RouteValues(new { id = done.CaseId }));
        }
        catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            TempData[Banner.Alert] = OfficerErrors.Explain(ex, logger);
            return RedirectToPage(OfficerIdentity.RouteValues(new { stage = Stage, type = RequestType }));
        }
    }

    public static string StageLabel(string stage) => Stages.FirstOrDefault(s => s.Value == stage)?.Label ?? stage;

    public static string RequestTypeLabel(string type) => Labels.RequestType(type);

    private void Normalize()
    {
        Officer = OfficerIdentity.From(HttpContext);
        CountyCode = Officer.CountyCode;
        if (!counties.TryGet(CountyCode, out _))
        {
            CountyError = "您的账号所属县（市、区）不在本系统服务范围内，请联系管理员。";
        }

        Stage = Stages.Any(s => s.Value == Stage) ? Stage : "";
        RequestType = RequestTypes.Any(s => s.Value == RequestType) ? RequestType : "";
    }
}
