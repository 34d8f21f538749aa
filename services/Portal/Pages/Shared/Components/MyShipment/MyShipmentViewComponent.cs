using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Permits.Contracts.Delivery.V1;
using ShipmentsClient = Permits.Contracts.Delivery.V1.Shipments.ShipmentsClient;
using Permits.Portal.Security;
using GrpcCode = Grpc.Core.StatusCode;

namespace Permits.Portal.Pages.Shared.Components.MyShipment;

/// <summary>
/// 证件寄递 on the shopkeeper's own application page: status, waybill and every tracking step, and while the licence
/// waits at the hall the pickup code. Delivery decides, from the shopkeeper's token, whether the code is theirs to see.
/// </summary>
public sealed partial class MyShipmentViewComponent(ShipmentsClient shipments, ILogger<MyShipmentViewComponent> logger) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(string applicationId)
    {
        var model = new MyShipmentView(null, Unavailable: false);
        if (string.IsNullOrWhiteSpace(applicationId))
        {
            return View(model);
        }

        try
        {
            model = model with
            {
                Shipment = await shipments.GetShipmentAsync(
                    new GetShipmentRequest { ApplicationId = applicationId },
                    await PortalCaller.HeadersAsync(HttpContext),
                    cancellationToken: HttpContext.RequestAborted),
            };
        }
        catch (RpcException ex) when (ex.StatusCode == GrpcCode.NotFound)
        {
            // Nothing sent yet: the panel stays away.
        }
        catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            LogUnavailable(logger, ex, ex.StatusCode);
            model = model with { Unavailable = true };
        }

        return View(model);
    }

    [LoggerMessage(LogLevel.Warning, "Could not get the shopkeeper's shipment ({StatusCode})")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, GrpcCode statusCode);
}

public sealed record MyShipmentView(Shipment? Shipment, bool Unavailable);
