using Grpc.Core;
using GrpcCode = Grpc.Core.StatusCode;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Permits.Contracts.Delivery.V1;
using Permits.Contracts.Intake.V1;
using Permits.Contracts.Licensing;
using Permits.Contracts.Review.V1;
using Permits.Portal.Pages.Guide;
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
    Cases.CasesClient cases,
    CountyDirectory counties,
    GuideBook guide,
    CountyInForce inForce,
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

    /// <summary>The county's service hall as in force (for pickup); null for a county the directory does not know.</summary>
    public HallInForce? Hall { get; private set; }

    /// <summary>The county's 承诺时限 in force for the request, in working days; 0 when it promises nothing shorter than the law.</summary>
    public int PromisedDays { get; private set; }

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
        if (County is not null)
        {
            var type = RequestTypes.TryGet(Application.RequestType, out var info) ? info.Code : "";
            Hall = await inForce.HallAsync(shipments, County, cancellationToken);
            PromisedDays = (await inForce.LimitsAsync(cases, County, type, guide.Matter(type)?.LegalDays ?? 0, cancellationToken)).PromisedDays;
        }

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
