using Google.Rpc;
using Grpc.Core;
using GrpcCode = Grpc.Core.StatusCode;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Permits.Contracts.Review.V1;
using Permits.Portal.Web;
using Permits.Shared.Domain;

namespace Permits.Portal.Pages.Officer;

/// <summary>
/// 审查工作台: a county's open cases and the two actions of the happy path. Temporary: until officers sign in, the
/// officer id is typed in; then it comes from the signed-in user and the county from their bureau, and the /Officer
/// folder is put behind authorization.
/// </summary>
public sealed partial class IndexModel(Cases.CasesClient cases, CountyDirectory counties, ILogger<IndexModel> logger) : PageModel
{
    /// <summary>The stage strings Review uses; any other stage is shown without actions.</summary>
    public const string AwaitingAcceptance = "AwaitingAcceptance";

    public const string UnderReview = "UnderReview";

    public const string DefaultOfficerId = "demo-officer";

    private const int QueuePageSize = 100;

    [BindProperty(SupportsGet = true, Name = "county")]
    public string? CountyCode { get; set; }

    [BindProperty(SupportsGet = true, Name = "officer")]
    public string? OfficerId { get; set; }

    public IReadOnlyList<Option> Counties =>
        counties.All.Select(c => new Option(c.Code, c.Name)).ToList();

    public IReadOnlyList<Case> Queue { get; private set; } = [];

    public int Total { get; private set; }

    public string? CountyError { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Normalize();
        var reply = await cases.ListQueueAsync(
            new ListQueueRequest { CountyCode = CountyCode, PageSize = QueuePageSize }, cancellationToken: cancellationToken);
        Queue = reply.Cases;
        Total = reply.Total;
    }

    public Task<IActionResult> OnPostAcceptAsync(string caseId, CancellationToken cancellationToken) =>
        ActAsync(
            caseId,
            request => cases.AcceptAsync(request, cancellationToken: cancellationToken).ResponseAsync,
            done => $"已受理 {done.ApplicationNumber}（{done.BusinessName}）" + DocumentNote("受理通知书", done.AcceptanceDocumentNumber));

    public Task<IActionResult> OnPostApproveAsync(string caseId, CancellationToken cancellationToken) =>
        ActAsync(
            caseId,
            request => cases.ApproveAsync(request, cancellationToken: cancellationToken).ResponseAsync,
            done => $"已准予许可 {done.ApplicationNumber}（{done.BusinessName}）" + DocumentNote("准予行政许可决定书", done.DecisionDocumentNumber));

    /// <summary>Runs one officer action and redirects back (POST-redirect-GET) with a banner saying what happened.</summary>
    private async Task<IActionResult> ActAsync(string caseId, Func<CaseActionRequest, Task<Case>> action, Func<Case, string> confirmation)
    {
        Normalize();
        if (string.IsNullOrWhiteSpace(caseId))
        {
            TempData[Banner.Alert] = "没有指明要办理的案件，请刷新后重试。";
        }
        else
        {
            try
            {
                var done = await action(new CaseActionRequest { CaseId = caseId, OfficerId = OfficerId });
                TempData[Banner.Success] = confirmation(done);
            }
            catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
            {
                TempData[Banner.Alert] = Explain(ex);
            }
        }

        return RedirectToPage(new { county = CountyCode, officer = OfficerId });
    }

    private string Explain(RpcException ex)
    {
        switch (ex.StatusCode)
        {
            case GrpcCode.FailedPrecondition or GrpcCode.NotFound or GrpcCode.AlreadyExists or GrpcCode.PermissionDenied:
                // Review words these for the officer (e.g. “案件当前环节为……，不能受理”).
                return "未能办理：" + ex.Status.Detail;
            case GrpcCode.InvalidArgument:
                var violations = ex.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations;
                return "未能办理：" + (violations is { Count: > 0 } ? string.Join("；", violations.Select(v => v.Description)) : ex.Status.Detail);
            case GrpcCode.Unavailable or GrpcCode.DeadlineExceeded:
                LogActionFailed(logger, ex, ex.StatusCode);
                return "未能办理：审查系统暂时无法响应，请稍后重试。";
            default:
                LogActionFailed(logger, ex, ex.StatusCode);
                return "未能办理：系统出了点问题，请稍后重试。";
        }
    }

    private void Normalize()
    {
        var first = counties.All.First().Code;
        if (string.IsNullOrWhiteSpace(CountyCode))
        {
            CountyCode = first;
        }
        else if (!counties.TryGet(CountyCode.Trim(), out _))
        {
            CountyError = "本系统不服务该县（市、区），已显示默认县的队列。";
            CountyCode = first;
        }
        else
        {
            CountyCode = CountyCode.Trim();
        }

        OfficerId = string.IsNullOrWhiteSpace(OfficerId) ? DefaultOfficerId : OfficerId.Trim();
    }

    private static string DocumentNote(string document, string number) =>
        string.IsNullOrEmpty(number) ? "。" : $"，{document}文号：{number}。";

    [LoggerMessage(LogLevel.Warning, "An officer action failed with {StatusCode}")]
    private static partial void LogActionFailed(ILogger logger, Exception exception, GrpcCode statusCode);
}
