using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Permits.Contracts.Delivery.V1;
using ShipmentsClient = Permits.Contracts.Delivery.V1.Shipments.ShipmentsClient;
using Permits.Shared.Domain;

namespace Permits.Portal.Pages.Officer.Shipments;

/// <summary>
/// 送达管理: the shipments of the signed-in officer's county (Delivery takes the county from the token), late ones
/// first with the 10-working-day service limit, filtered by status and lateness.
/// </summary>
public sealed class IndexModel(ShipmentsClient shipments, CountyDirectory counties, ILogger<IndexModel> logger) : PageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true, Name = "status")]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true, Name = "late")]
    public bool LateOnly { get; set; }

    [BindProperty(SupportsGet = true, Name = "from")]
    public string? PageToken { get; set; }

    public OfficerIdentity Officer { get; private set; } = OfficerIdentity.Nobody;

    public string CountyName => counties.TryGet(Officer.CountyCode, out var county) ? county.Name : Officer.CountyCode;

    public ListShipmentsResponse? List { get; private set; }

    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Officer = OfficerIdentity.From(HttpContext);
        try
        {
            List = await shipments.ListShipmentsAsync(
                new ListShipmentsRequest
                {
                    Status = Status ?? "",
                    LateOnly = LateOnly,
                    PageSize = PageSize,
                    PageToken = PageToken ?? "",
                },
                await OfficerIdentity.CallAsync(HttpContext, cancellationToken));
        }
        catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            Error = ShipmentLabels.Explain(ex, logger);
        }
    }
}
