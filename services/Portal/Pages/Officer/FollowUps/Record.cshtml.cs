using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Permits.Contracts.Review.V1;
using Permits.Portal.Web;
using GrpcCode = Grpc.Core.StatusCode;

namespace Permits.Portal.Pages.Officer.FollowUps;

/// <summary>
/// The board's form to record a 差评 follow-up (好差评回访): when and how the head contacted the rater, what the rater
/// said, and the rectification (整改措施). Review checks the head and the county, closes it once and tells the rater;
/// back to the board with the outcome in a banner.
/// </summary>
public sealed partial class RecordModel(Cases.CasesClient cases, ILogger<RecordModel> logger) : PageModel
{
    public const string Path = "/officer/follow-ups";

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(
        string? applicationId, string? applicationNumber, string? contactedOn, string? contactMethod, string? raterSaid, string? rectification,
        CancellationToken cancellationToken)
    {
        var request = new RecordRatingFollowUpRequest
        {
            ApplicationId = applicationId?.Trim() ?? "",
            ContactedOn = contactedOn?.Trim() ?? "",
            ContactMethod = contactMethod?.Trim() ?? "",
            RaterSaid = raterSaid?.Trim() ?? "",
            Rectification = rectification?.Trim() ?? "",
        };
        const string failed = "未能登记差评回访：";
        try
        {
            await cases.RecordRatingFollowUpAsync(request, await OfficerIdentity.CallAsync(HttpContext, cancellationToken));
            TempData[Banner.Success] = $"已登记差评回访（申请编号 {applicationNumber}），将以短信告知评价人整改情况。";
        }
        catch (RpcException ex) when (ex.StatusCode is GrpcCode.InvalidArgument)
        {
            TempData[Banner.Alert] = failed + string.Join("；", FormErrors.From(ex).Items.Select(i => i.Message));
        }
        catch (RpcException ex) when (ex.StatusCode is GrpcCode.PermissionDenied or GrpcCode.FailedPrecondition or GrpcCode.NotFound)
        {
            TempData[Banner.Alert] = failed + ex.Status.Detail;
        }
        catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            LogFailed(logger, ex, ex.StatusCode);
            TempData[Banner.Alert] = failed + "系统暂时无法办理，请稍后再试。";
        }

        return Redirect("/officer/board#ratings");
    }

    [LoggerMessage(LogLevel.Warning, "Review did not record a rating follow-up ({StatusCode})")]
    private static partial void LogFailed(ILogger logger, Exception exception, GrpcCode statusCode);
}
