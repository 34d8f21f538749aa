using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Permits.Contracts.Disclosure.V1;
using Permits.Portal.Web;

namespace Permits.Portal.Pages.Officer.DisclosureRequests;

/// <summary>
/// 依申请公开工作台: the county's requests, nearest due date first, with counts per state. Only the signed-in disclosure
/// clerk's own county (the service decides from the token every call carries).
/// </summary>
public sealed class IndexModel(InformationRequestDesk.InformationRequestDeskClient desk, ILogger<IndexModel> logger) : PageModel
{
    public static readonly IReadOnlyList<Option> States =
    [
        new("", "全部办理中"),
        new("Received", "办理中（计时）"),
        new("AwaitingCorrection", "待补正"),
        new("Consulting", "征求第三方意见中"),
        new("Answered", "已办结"),
        new("All", "全部"),
    ];

    [BindProperty(SupportsGet = true, Name = "state")]
    public string? State { get; set; }

    public OfficerIdentity Officer { get; private set; } = OfficerIdentity.Nobody;

    public ListInformationRequestsResponse? Queue { get; private set; }

    public string? Problem { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Officer = OfficerIdentity.From(HttpContext);
        State = States.Any(s => s.Value == State) ? State : "";
        try
        {
            Queue = await desk.ListQueueAsync(
                new ListInformationRequestsRequest { State = State ?? "", PageSize = 200 },
                await OfficerIdentity.CallAsync(HttpContext, cancellationToken));
        }
        catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            Problem = OfficerErrors.Explain(ex, logger);
        }
    }

    public static string StateLabel(string state) => States.FirstOrDefault(s => s.Value == state)?.Label ?? state;
}
