using Grpc.Core;
using GrpcCode = Grpc.Core.StatusCode;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Permits.Contracts.Delivery.V1;
using Permits.Contracts.Intake.V1;
using Permits.Shared.Domain;
using ProtoDeliveryMethod = Permits.Contracts.Intake.V1.DeliveryMethod;

namespace Permits.Portal.Pages.Track;

/// <summary>办件进度: the application's status and history from Intake, and the shipment from Delivery once there is one.</summary>
public sealed partial class ProgressModel(
    Applications.ApplicationsClient applications,
    Shipments.ShipmentsClient shipments,
    CountyDirectory counties,
    ILogger<ProgressModel> logger) : PageModel
{
    public string Number { get; private set; } = "";

    /// <summary>Null when Intake knows no application with this number.</summary>
    public Application? Application { get; private set; }

    public Shipment? Shipment { get; private set; }

    /// <summary>Delivery could not be asked; the rest of the page still shows.</summary>
    public bool ShipmentUnknown { get; private set; }

    public County? County { get; private set; }

    public bool IsPickup => Application?.DeliveryMethod == ProtoDeliveryMethod.Pickup;

    public async Task OnGetAsync(string number, CancellationToken cancellationToken)
    {
        Number = number.Trim();
        try
        {
            Application = await applications.GetApplicationAsync(
                new GetApplicationRequest { ApplicationNumber = Number }, cancellationToken: cancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode is GrpcCode.NotFound or GrpcCode.InvalidArgument)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        County = counties.TryGet(Application.CountyCode, out var county) ? county : null;

        try
        {
            Shipment = await shipments.GetShipmentAsync(
                new GetShipmentRequest { ApplicationId = Application.ApplicationId }, cancellationToken: cancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode == GrpcCode.NotFound)
        {
            // Nothing sent yet.
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogShipmentUnavailable(logger, ex, ex.StatusCode, Application.ApplicationNumber);
            ShipmentUnknown = true;
        }
    }

    [LoggerMessage(LogLevel.Warning, "Could not get the shipment of {ApplicationNumber} ({StatusCode})")]
    private static partial void LogShipmentUnavailable(ILogger logger, Exception exception, GrpcCode statusCode, string applicationNumber);
}
