using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Permits.Contracts.Review.V1;
using Permits.Portal.Web;
using Permits.Shared.Domain;

namespace Permits.Portal.Pages.Officer;

/// <summary>
/// 审查工作台: the county's open cases, nearest legal deadline first, filtered by stage and request type, with
/// counts per stage; claim a case or take the next one. Temporary identity: see <see cref="OfficerIdentity"/>.
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

    public static readonly IReadOnlyList<Option> RequestTypes =
    [
        new("", "全部类型"),
        new("New", "新办"),
        new("Change", "变更"),
        new("Renewal", "延续"),
        new("Suspend", "停业"),
        new("Resume", "恢复营业"),
        new("Close", "歇业"),
        new("Reissue", "补办"),
        new("Cancel", "注销"),
    ];

    [BindProperty(SupportsGet = true, Name = "county")]
    public string? CountyCode { get; set; }

    [BindProperty(SupportsGet = true, Name = "officer")]
    public string? OfficerId { get; set; }

    [BindProperty(SupportsGet = true, Name = "role")]
    public string? Role { get; set; }

    [BindProperty(SupportsGet = true, Name = "stage")]
    public string? Stage { get; set; }

    [BindProperty(SupportsGet = true, Name = "type")]
    public string? RequestType { get; set; }

    public OfficerIdentity Officer { get; private set; } = OfficerIdentity.From(null, null, "");

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
                    OfficerId = Officer.OfficerId,
                    OfficerRole = Officer.Role,
                    OfficerCountyCode = Officer.CountyCode,
                },
                cancellationToken: cancellationToken);
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
            var done = await cases.ClaimAsync(Officer.Action(caseId), cancellationToken: cancellationToken);
            TempData[Banner.Success] = $"已领取 {done.ApplicationNumber}（{done.BusinessName}），请在租期内办理。";
            return RedirectToPage("Case", Officer.RouteValues(new { id = done.CaseId }));
        }
        catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            TempData[Banner.Alert] = OfficerErrors.Explain(ex, logger);
            return RedirectToPage(Officer.RouteValues(new { stage = Stage, type = RequestType }));
        }
    }

    public async Task<IActionResult> OnPostClaimNextAsync(CancellationToken cancellationToken)
    {
        Normalize();
        try
        {
            var done = await cases.ClaimNextAsync(
                new ClaimNextRequest { Action = Officer.Action(""), Stage = Stage ?? "", RequestType = RequestType ?? "" },
                cancellationToken: cancellationToken);
            TempData[Banner.Success] = $"已领取期限最近的案件 {done.ApplicationNumber}（{done.BusinessName}）。";
            return RedirectToPage("Case", Officer.RouteValues(new { id = done.CaseId }));
        }
        catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            TempData[Banner.Alert] = OfficerErrors.Explain(ex, logger);
            return RedirectToPage(Officer.RouteValues(new { stage = Stage, type = RequestType }));
        }
    }

    public static string StageLabel(string stage) => Stages.FirstOrDefault(s => s.Value == stage)?.Label ?? stage;

    public static string RequestTypeLabel(string type) => RequestTypes.FirstOrDefault(s => s.Value == type)?.Label ?? type;

    private void Normalize()
    {
        var first = counties.All.First().Code;
        var county = CountyCode?.Trim() ?? "";
        if (county.Length == 0)
        {
            county = first;
        }
        else if (!counties.TryGet(county, out _))
        {
            CountyError = "本系统不服务该县（市、区），已显示默认县的队列。";
            county = first;
        }

        Stage = Stages.Any(s => s.Value == Stage) ? Stage : "";
        RequestType = RequestTypes.Any(s => s.Value == RequestType) ? RequestType : "";
        Officer = OfficerIdentity.From(OfficerId, Role, county);
        CountyCode = county;
    }
}
