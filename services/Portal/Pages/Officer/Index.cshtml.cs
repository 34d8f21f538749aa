using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Permits.Contracts.Review.V1;
using Permits.Portal.Web;
using Permits.Shared.Domain;
using Permits.Shared.Security;
using IdentityOfficer = Permits.Contracts.Identity.V1.Officer;

namespace Permits.Portal.Pages.Officer;

/// <summary>
/// 待办队列: by default the county's open cases at the steps of the officer's own roles (Review decides which, from the
/// token), nearest legal deadline first, with the working days left; search by application number, shop name or
/// licence number, filter by step and request type, page through. Claim one, the next, or several at once; hand a
/// claimed case back or to a colleague who works its step. Only the signed-in officer's own county (the page requires
/// a county officer); every call carries their access token.
/// </summary>
public sealed class IndexModel(Cases.CasesClient cases, CountyDirectory counties, Colleagues colleagues, ILogger<IndexModel> logger) : PageModel
{
    public const int PageSize = 25;

    /// <summary>The step filter: the officer's own steps (Review's default), every open case, or one step.</summary>
    public static readonly IReadOnlyList<Option> StepFilter = [new("", "我的环节"), new("all", "全部"), .. OfficerIdentity.Steps];

    /// <summary>The type filter: every type, or one of the catalogue's.</summary>
    public static readonly IReadOnlyList<Option> RequestTypes = [new("", "全部类型"), .. Labels.RequestTypes];

    public string CountyCode { get; private set; } = "";

    [BindProperty(SupportsGet = true, Name = "step")]
    public string? Step { get; set; }

    [BindProperty(SupportsGet = true, Name = "type")]
    public string? RequestType { get; set; }

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Search { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public OfficerIdentity Officer { get; private set; } = OfficerIdentity.Nobody;

    public string CountyName => counties.TryGet(CountyCode, out var county) ? county.Name : CountyCode;

    public IReadOnlyList<Case> Queue { get; private set; } = [];

    /// <summary>Open cases of the county per work step, whatever the filters.</summary>
    public IReadOnlyDictionary<string, int> StepCounts { get; private set; } = new Dictionary<string, int>();

    /// <summary>The steps the queue shows, in words.</summary>
    public string ShownSteps { get; private set; } = "";

    public int Total { get; private set; }

    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);

    /// <summary>The county's officers by id (for handing over and for names); empty when Identity could not say.</summary>
    public IReadOnlyList<IdentityOfficer> CountyOfficers { get; private set; } = [];

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
                    Step = Step ?? "",
                    RequestType = RequestType ?? "",
                    Search = Search ?? "",
                    Page = PageNumber,
                    PageSize = PageSize,
                },
                await OfficerIdentity.CallAsync(HttpContext, cancellationToken));
            Queue = reply.Cases;
            Total = reply.Total;
            StepCounts = reply.StepCounts;
            ShownSteps = Step == "all"
                ? "全部环节"
                : string.Join("、", reply.Steps.Select(s => OfficerIdentity.Steps.FirstOrDefault(o => o.Value == s)?.Label ?? "其他"));
        }
        catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            QueueError = OfficerErrors.Explain(ex, logger);
            return;
        }

        if (Queue.Any(MayHandOver))
        {
            CountyOfficers = await colleagues.ListAsync(HttpContext, cancellationToken) ?? [];
        }
    }

    public async Task<IActionResult> OnPostClaimAsync(string caseId, CancellationToken cancellationToken)
    {
        Normalize();
        try
        {
            var done = await cases.ClaimAsync(Officer.Action(caseId), await OfficerIdentity.CallAsync(HttpContext, cancellationToken));
            TempData[Banner.Success] = $"已领取 {done.ApplicationNumber}（{done.BusinessName}），请在领取有效期内办理。";
            return RedirectToPage("Case", OfficerIdentity.RouteValues(new { id = done.CaseId }));
        }
        catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            TempData[Banner.Alert] = OfficerErrors.Explain(ex, logger);
            return BackToQueue();
        }
    }

    public async Task<IActionResult> OnPostClaimNextAsync(CancellationToken cancellationToken)
    {
        Normalize();
        try
        {
            var done = await cases.ClaimNextAsync(
                new ClaimNextRequest { Action = Officer.Action(""), Stage = "", RequestType = RequestType ?? "" },
                await OfficerIdentity.CallAsync(HttpContext, cancellationToken));
            TempData[Banner.Success] = $"已领取期限最近的案件 {done.ApplicationNumber}（{done.BusinessName}）。";
            return RedirectToPage("Case", OfficerIdentity.RouteValues(new { id = done.CaseId }));
        }
        catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            TempData[Banner.Alert] = OfficerErrors.Explain(ex, logger);
            return BackToQueue();
        }
    }

    /// <summary>批量领取: each ticked case answers for itself; every refused one is named with its reason.</summary>
    public async Task<IActionResult> OnPostClaimManyAsync(
        [FromForm(Name = "caseIds")] string[]? caseIds, [FromForm(Name = "numbers")] Dictionary<string, string>? numbers,
        CancellationToken cancellationToken)
    {
        Normalize();
        var ticked = (caseIds ?? []).Where(id => !string.IsNullOrWhiteSpace(id)).Distinct().ToList();
        if (ticked.Count == 0)
        {
            TempData[Banner.Alert] = "未能领取：请先勾选要领取的案件。";
            return BackToQueue();
        }

        try
        {
            var request = new ClaimManyRequest();
            request.CaseIds.Add(ticked);
            var reply = await cases.ClaimManyAsync(request, await OfficerIdentity.CallAsync(HttpContext, cancellationToken));
            string Number(ClaimOutcome o) =>
                o.Case?.ApplicationNumber is { Length: > 0 } n ? n : numbers?.GetValueOrDefault(o.CaseId) ?? "所选案件";
            var claimed = reply.Outcomes.Where(o => o.Claimed).Select(Number).ToList();
            var refused = reply.Outcomes.Where(o => !o.Claimed).Select(o => $"{Number(o)}：{OfficerErrors.InWords(o.Problem)}").ToList();
            if (claimed.Count > 0)
            {
                TempData[Banner.Success] = $"已领取 {claimed.Count} 件：{string.Join("、", claimed)}。";
            }

            if (refused.Count > 0)
            {
                TempData[Banner.Alert] = $"有 {refused.Count} 件未能领取——{string.Join("；", refused)}。";
            }
        }
        catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            TempData[Banner.Alert] = OfficerErrors.Explain(ex, logger);
        }

        return BackToQueue();
    }

    /// <summary>交回: the case goes back to the queue for anyone of its step.</summary>
    public async Task<IActionResult> OnPostReleaseAsync(string caseId, CancellationToken cancellationToken)
    {
        Normalize();
        try
        {
            var done = await cases.ReleaseAsync(Officer.Action(caseId), await OfficerIdentity.CallAsync(HttpContext, cancellationToken));
            TempData[Banner.Success] = $"已交回 {done.ApplicationNumber}（{done.BusinessName}），其他同事可以领取。";
        }
        catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            TempData[Banner.Alert] = OfficerErrors.Explain(ex, logger);
        }

        return BackToQueue();
    }

    /// <summary>转交: a colleague of the county who works the case's step takes it over.</summary>
    public async Task<IActionResult> OnPostAssignAsync(string caseId, string? officerId, CancellationToken cancellationToken)
    {
        Normalize();
        if (string.IsNullOrWhiteSpace(officerId))
        {
            TempData[Banner.Alert] = "未能转交：请选择接手的同事。";
            return BackToQueue();
        }

        try
        {
            var done = await cases.AssignAsync(
                new AssignRequest { Action = Officer.Action(caseId), OfficerId = officerId },
                await OfficerIdentity.CallAsync(HttpContext, cancellationToken));
            var to = string.IsNullOrEmpty(done.ClaimedByName) ? officerId : done.ClaimedByName;
            TempData[Banner.Success] = $"已将 {done.ApplicationNumber}（{done.BusinessName}）转交给 {to}。";
        }
        catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            TempData[Banner.Alert] = OfficerErrors.Explain(ex, logger);
        }

        return BackToQueue();
    }

    public static string RequestTypeLabel(string type) => Labels.RequestType(type);

    /// <summary>The case is the officer's own claim, or the officer is the head (who may hand any claimed case on).</summary>
    public bool MayHandOver(Case item) =>
        !string.IsNullOrEmpty(item.ClaimedBy) && (item.ClaimedBy == Officer.OfficerId || Officer.HasRole(PermitsRoles.Head));

    /// <summary>Colleagues who work the case's step, other than the one holding it.</summary>
    public IReadOnlyList<Option> HandOverTo(Case item)
    {
        var role = OfficerIdentity.RoleFor(item.Step);
        return CountyOfficers
            .Where(o => o.OfficerId != item.ClaimedBy && (role.Length == 0 || o.Roles.Contains(role)))
            .Select(o => new Option(o.OfficerId, $"{o.DisplayName}（{o.OfficerId}）"))
            .ToList();
    }

    public string ClaimedBy(Case item) =>
        string.IsNullOrEmpty(item.ClaimedBy) ? "未领取"
        : item.ClaimedBy == Officer.OfficerId ? "本人"
        : item.ClaimedByName is { Length: > 0 } name ? name
        : CountyOfficers.FirstOrDefault(o => o.OfficerId == item.ClaimedBy)?.DisplayName ?? item.ClaimedBy;

    /// <summary>The queue's address with these filters (for paging links and the way back after a POST).</summary>
    public object Filters(int? page = null) => OfficerIdentity.RouteValues(new
    {
        step = NullIfEmpty(Step), type = NullIfEmpty(RequestType), q = NullIfEmpty(Search), p = page ?? (PageNumber > 1 ? PageNumber : (int?)null),
    });

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private RedirectToPageResult BackToQueue() => RedirectToPage(Filters());

    private void Normalize()
    {
        Officer = OfficerIdentity.From(HttpContext);
        CountyCode = Officer.CountyCode;
        if (!counties.TryGet(CountyCode, out _))
        {
            CountyError = "您的账号所属县（市、区）不在本系统服务范围内，请联系管理员。";
        }

        Step = StepFilter.Any(s => s.Value == Step) ? Step : "";
        RequestType = RequestTypes.Any(s => s.Value == RequestType) ? RequestType : "";
        Search = Search?.Trim() is { Length: > 0 } search ? search[..Math.Min(search.Length, 64)] : null;
        PageNumber = Math.Max(1, PageNumber);
    }
}
