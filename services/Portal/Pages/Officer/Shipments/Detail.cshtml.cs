using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Permits.Contracts.Delivery.V1;
using ShipmentsClient = Permits.Contracts.Delivery.V1.Shipments.ShipmentsClient;
using Permits.Portal.Web;
using GrpcCode = Grpc.Core.StatusCode;

namespace Permits.Portal.Pages.Officer.Shipments;

/// <summary>
/// One shipment for an officer of its county: status, tracking, the service limit, and what the officer can do in
/// this state: hand the licence over at the hall on the pickup code the shopkeeper shows (窗口领取), or after a
/// failed delivery have the courier try again or bring it back for pickup. Delivery decides with the officer's token
/// and audits who did it; another county's shipment is refused.
/// </summary>
public sealed class DetailModel(ShipmentsClient shipments, ILogger<DetailModel> logger) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "id")]
    public string ApplicationId { get; set; } = "";

    public OfficerIdentity Officer { get; private set; } = OfficerIdentity.Nobody;

    public Shipment? Current { get; private set; }

    public string? Error { get; private set; }

    /// <summary>What the officer typed in the hand-over form, kept when it is refused.</summary>
    public string? CollectedBy { get; private set; }

    public FormErrors HandOverErrors { get; private set; } = FormErrors.None;

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostHandOverAsync(string? pickupCode, string? collectedBy, CancellationToken cancellationToken)
    {
        Officer = OfficerIdentity.From(HttpContext);
        try
        {
            var served = await shipments.ConfirmPickupAsync(
                new ConfirmPickupRequest
                {
                    ApplicationId = ApplicationId,
                    PickupCode = pickupCode?.Trim() ?? "",
                    CollectedBy = collectedBy?.Trim() ?? "",
                },
                await OfficerIdentity.CallAsync(HttpContext, cancellationToken));
            TempData[Banner.Success] = $"已交付：{served.ApplicationNumber} 的许可证由 {served.SignedBy} 当面领取，已记录送达。";
            return RedirectToPage(new { id = ApplicationId });
        }
        catch (RpcException ex) when (ex.StatusCode == GrpcCode.InvalidArgument)
        {
            // Show the refusal beside the fields; the code typed is not echoed back.
            HandOverErrors = FormErrors.From(ex);
            CollectedBy = collectedBy;
            Error = "未能交付：" + string.Join("；", HandOverErrors.Items.Select(i => i.Message));
        }
        catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            TempData[Banner.Alert] = ShipmentLabels.Explain(ex, logger);
            return RedirectToPage(new { id = ApplicationId });
        }

        await LoadAsync(cancellationToken, keepError: true);
        return Page();
    }

    public Task<IActionResult> OnPostRedeliverAsync(CancellationToken cancellationToken) =>
        ResolveAsync(FailedDeliveryResolution.Redeliver, s => $"已安排快递第 {s.DeliveryAttempts} 次投递。", cancellationToken);

    public Task<IActionResult> OnPostSwitchToPickupAsync(CancellationToken cancellationToken) =>
        ResolveAsync(FailedDeliveryResolution.SwitchToPickup, _ => "已通知快递退回服务大厅；退回后申请人凭取件码到窗口领取。", cancellationToken);

    private async Task<IActionResult> ResolveAsync(
        FailedDeliveryResolution resolution, Func<Shipment, string> confirmation, CancellationToken cancellationToken)
    {
        try
        {
            var resolved = await shipments.ResolveFailedDeliveryAsync(
                new ResolveFailedDeliveryRequest { ApplicationId = ApplicationId, Resolution = resolution },
                await OfficerIdentity.CallAsync(HttpContext, cancellationToken));
            TempData[Banner.Success] = confirmation(resolved);
        }
        catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            TempData[Banner.Alert] = ShipmentLabels.Explain(ex, logger);
        }

        return RedirectToPage(new { id = ApplicationId });
    }

    private async Task LoadAsync(CancellationToken cancellationToken, bool keepError = false)
    {
        Officer = OfficerIdentity.From(HttpContext);
        try
        {
            Current = await shipments.GetCountyShipmentAsync(
                new GetShipmentRequest { ApplicationId = ApplicationId },
                await OfficerIdentity.CallAsync(HttpContext, cancellationToken));
        }
        catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            if (ex.StatusCode is GrpcCode.NotFound or GrpcCode.InvalidArgument)
            {
                Response.StatusCode = StatusCodes.Status404NotFound;
            }
            else if (ex.StatusCode == GrpcCode.PermissionDenied)
            {
                Response.StatusCode = StatusCodes.Status403Forbidden;
            }

            Error = keepError && Error is not null ? Error : ShipmentLabels.Explain(ex, logger);
        }
    }
}
