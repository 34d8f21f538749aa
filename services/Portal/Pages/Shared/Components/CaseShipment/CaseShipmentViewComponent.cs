using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Permits.Contracts.Delivery.V1;
using ShipmentsClient = Permits.Contracts.Delivery.V1.Shipments.ShipmentsClient;
using Permits.Portal.Pages.Officer;
using Permits.Portal.Pages.Officer.Shipments;
using GrpcCode = Grpc.Core.StatusCode;

namespace Permits.Portal.Pages.Shared.Components.CaseShipment;

/// <summary>
/// 送达 on the officer's case page: the licence's shipment, if there is one, with a link to act on it. Asked with the
/// officer's token (Delivery shows the county's officers their own shipments only).
/// </summary>
public sealed class CaseShipmentViewComponent(ShipmentsClient shipments, ILogger<CaseShipmentViewComponent> logger) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(string applicationId)
    {
        var model = new CaseShipmentView(applicationId, null, null);
        if (string.IsNullOrWhiteSpace(applicationId))
        {
            return View(model);
        }

        try
        {
            var shipment = await shipments.GetCountyShipmentAsync(
                new GetShipmentRequest { ApplicationId = applicationId },
                await OfficerIdentity.CallAsync(HttpContext, HttpContext.RequestAborted));
            model = model with { Shipment = shipment };
        }
        catch (RpcException ex) when (ex.StatusCode == GrpcCode.NotFound)
        {
            // No licence sent yet: the panel says so.
        }
        catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            model = model with { Error = ShipmentLabels.Explain(ex, logger) };
        }

        return View(model);
    }
}

public sealed record CaseShipmentView(string ApplicationId, Shipment? Shipment, string? Error);
