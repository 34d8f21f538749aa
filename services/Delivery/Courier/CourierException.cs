using System.Net;
using Polly;

namespace Permits.Delivery.Courier;

/// <summary>The courier answered, but not with success.</summary>
public sealed class CourierException(string message, HttpStatusCode? statusCode = null) : Exception(message)
{
    public HttpStatusCode? StatusCode => statusCode;

    /// <summary>The courier refused this particular request (4xx other than 408/429): retrying it soon will not help.</summary>
    public bool IsRejection => statusCode is { } code && (int)code is >= 400 and < 500
        && code is not HttpStatusCode.RequestTimeout and not HttpStatusCode.TooManyRequests;

    /// <summary>
    /// True when the courier as a whole is unreachable or failing (network error, timeout, open circuit, 5xx, 408,
    /// 429): a worker stops its pass and pauses, instead of charging every shipment in the batch a failed attempt.
    /// Anything else concerns one shipment, and the pass carries on with the next.
    /// </summary>
    public static bool IsOutage(Exception exception) => exception switch
    {
        CourierException courier => !courier.IsRejection,
        HttpRequestException or ExecutionRejectedException or OperationCanceledException => true,
        _ => false,
    };
}
