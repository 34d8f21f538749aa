using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Permits.Contracts.Disclosure.V1;
using Permits.Portal.Web;

namespace Permits.Portal.Pages.Requests;

/// <summary>
/// 查询申请: the requester follows a request with its number and query code (posted, so the code stays out of URLs and
/// logs), and answers a 补正 notice here.
/// </summary>
public sealed class FollowModel(InformationRequests.InformationRequestsClient requests, ILogger<FollowModel> logger) : PageModel
{
    [BindProperty]
    public string? Number { get; set; }

    [BindProperty]
    public string? Code { get; set; }

    [BindProperty]
    public string? Description { get; set; }

    public InformationRequestView? InfoRequest { get; private set; }

    public FormErrors Errors { get; private set; } = FormErrors.None;

    public string? Problem { get; private set; }

    public string? Done { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await CallAsync(() => requests.FollowRequestAsync(
            new FollowInformationRequest { RequestNumber = Number ?? "", QueryCode = Code ?? "" }, cancellationToken: cancellationToken).ResponseAsync);
        return Page();
    }

    public async Task<IActionResult> OnPostCorrectAsync(CancellationToken cancellationToken)
    {
        var corrected = await CallAsync(() => requests.SubmitCorrectionAsync(
            new SubmitInformationCorrection { RequestNumber = Number ?? "", QueryCode = Code ?? "", Description = Description ?? "" },
            cancellationToken: cancellationToken).ResponseAsync);
        if (corrected)
        {
            Done = $"补正已提交。答复期限自今日重新计算，应于 {InfoRequest!.DueOn} 前答复。";
        }
        else
        {
            // Show the request again beside the refusal, keeping what went wrong.
            var (errors, problem) = (Errors, Problem);
            await CallAsync(() => requests.FollowRequestAsync(
                new FollowInformationRequest { RequestNumber = Number ?? "", QueryCode = Code ?? "" }, cancellationToken: cancellationToken).ResponseAsync);
            Errors = errors.Any ? errors : Errors;
            Problem = problem ?? Problem;
        }

        return Page();
    }

    private async Task<bool> CallAsync(Func<Task<InformationRequestView>> call)
    {
        try
        {
            InfoRequest = await call();
            return true;
        }
        catch (RpcException ex) when (ex.StatusCode == Grpc.Core.StatusCode.InvalidArgument)
        {
            Errors = FormErrors.From(ex);
        }
        catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            Problem = RequestErrors.Explain(ex, logger);
        }

        return false;
    }
}
