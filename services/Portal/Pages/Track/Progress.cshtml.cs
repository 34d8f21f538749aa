using Grpc.Core;
using GrpcCode = Grpc.Core.StatusCode;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Permits.Contracts.Delivery.V1;
using Permits.Contracts.Intake.V1;
using Permits.Shared.Domain;
using ProtoDeliveryMethod = Permits.Contracts.Intake.V1.DeliveryMethod;

namespace Permits.Portal.Pages.Track;

/// <summary>
/// 查询办件进度: the number and its 查询码 (or the contact phone's last four digits) in a posted form (the code never
/// travels in a URL), then the public view from Intake: status, step dates and deadlines, never free text. Intake limits
/// guesses per visitor: the visitor's address travels with the call.
/// </summary>
public sealed partial class ProgressModel(
    Applications.ApplicationsClient applications,
    Shipments.ShipmentsClient shipments,
    CountyDirectory counties,
    ILogger<ProgressModel> logger) : PageModel
{
    /// <summary>The gRPC header Intake reads the visitor's address from (Intake's PublicLookupLimiter).</summary>
    public const string ClientAddressHeader = "x-permits-client-address";

    [BindProperty(SupportsGet = true, Name = "number")]
    public string? Number { get; set; }

    [BindProperty(Name = "query_code")]
    public string? QueryCode { get; set; }

    public string? NumberError { get; private set; }

    public string? CodeError { get; private set; }

    /// <summary>Null until a number and its code opened the application.</summary>
    public PublicApplication? Application { get; private set; }

    public Shipment? Shipment { get; private set; }

    /// <summary>Delivery could not be asked; the rest of the page still shows.</summary>
    public bool ShipmentUnknown { get; private set; }

    public County? County { get; private set; }

    public bool IsPickup => Application?.DeliveryMethod == ProtoDeliveryMethod.Pickup;

    public void OnGet()
    {
        Number = Number?.Trim();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Number = Number?.Trim();
        NumberError = string.IsNullOrEmpty(Number) ? "请填写申请编号" : null;
        CodeError = string.IsNullOrWhiteSpace(QueryCode) ? "请填写查询码或联系电话后四位" : null;
        if (NumberError is not null || CodeError is not null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var headers = new Metadata();
        if (HttpContext.Connection.RemoteIpAddress is { } visitor)
        {
            headers.Add(ClientAddressHeader, visitor.ToString());
        }

        try
        {
            Application = await applications.GetApplicationAsync(
                new GetApplicationRequest { ApplicationNumber = Number, QueryCode = QueryCode!.Trim() }, headers,
                cancellationToken: cancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode is GrpcCode.NotFound or GrpcCode.InvalidArgument)
        {
            CodeError = "未找到该申请，或查询码（联系电话后四位）不正确。请核对后重新查询。";
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }
        catch (RpcException ex) when (ex.StatusCode == GrpcCode.ResourceExhausted)
        {
            CodeError = ex.Status.Detail;
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return Page();
        }

        QueryCode = null; // never echoed back into the page
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

        return Page();
    }

    [LoggerMessage(LogLevel.Warning, "Could not get the shipment of {ApplicationNumber} ({StatusCode})")]
    private static partial void LogShipmentUnavailable(ILogger logger, Exception exception, GrpcCode statusCode, string applicationNumber);
}
