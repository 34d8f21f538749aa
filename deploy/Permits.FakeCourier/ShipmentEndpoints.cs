using System.Text.Json;

namespace Permits.FakeCourier;

/// <summary>The courier's public API: book a shipment (idempotent by the <c>Idempotency-Key</c> header), read its events.</summary>
public static class ShipmentEndpoints
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public static WebApplication MapShipmentEndpoints(this WebApplication app)
    {
        app.MapPost("/api/v1/shipments", BookAsync);
        app.MapGet("/api/v1/shipments/{waybillNumber}/events", Events);
        app.MapPost("/api/v1/shipments/{waybillNumber}/redelivery", (string waybillNumber, int attempt, ShipmentLedger ledger) =>
            Instruct(waybillNumber, attempt, "redelivery", ledger, ledger.Redeliver));
        app.MapPost("/api/v1/shipments/{waybillNumber}/return", (string waybillNumber, int attempt, ShipmentLedger ledger) =>
            Instruct(waybillNumber, attempt, "return", ledger, ledger.Return));
        return app;
    }

    private static async Task<IResult> BookAsync(
        HttpRequest http, ShipmentLedger ledger, FaultSwitch faults, CancellationToken cancellationToken)
    {
        var key = http.Headers[IdempotencyKeyHeader].ToString().Trim();
        if (key.Length is 0 or > 200)
        {
            return Results.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "Idempotency-Key header is required",
                detail: "Send a unique Idempotency-Key (1–200 characters) with every booking; repeat it to retry safely.");
        }

        BookingRequest? request;
        try
        {
            request = await http.ReadFromJsonAsync<BookingRequest>(cancellationToken);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The body is not a JSON booking request");
        }

        var missing = Missing(request);
        if (missing.Count > 0)
        {
            return Results.ValidationProblem(missing, title: "Required fields are missing");
        }

        var (shipment, created) = ledger.Book(key, request!);
        if (!created && shipment.Request != request)
        {
            return Results.Problem(
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "Idempotency-Key was already used for a different booking",
                detail: $"Key {key} booked waybill {shipment.WaybillNumber} with other details.");
        }

        if (faults.TakeLostBookingAnswer())
        {
            // Booked, but the answer never arrives in one piece: the client can only retry with the same key.
            return Results.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "Internal error (fault switched on)");
        }

        var body = new BookingResponse(shipment.WaybillNumber, "Booked", shipment.BookedAt);
        return created
            ? Results.Created($"/api/v1/shipments/{shipment.WaybillNumber}", body)
            : Results.Ok(body);
    }

    private static IResult Events(string waybillNumber, ShipmentLedger ledger, FaultSwitch faults)
    {
        var shipment = ledger.Find(waybillNumber);
        if (shipment is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: $"Unknown waybill {waybillNumber}");
        }

        var events = ledger.EventsOf(shipment);
        return Results.Ok(new TrackingResponse(
            shipment.WaybillNumber, faults.Current.OutOfOrderEvents ? events.Reverse().ToList() : events));
    }

    private static IResult Instruct(
        string waybillNumber, int attempt, string instruction, ShipmentLedger ledger, Func<BookedShipment, int, int?> apply)
    {
        var shipment = ledger.Find(waybillNumber);
        if (shipment is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: $"Unknown waybill {waybillNumber}");
        }

        return apply(shipment, attempt) is { } started
            ? Results.Ok(new InstructionResponse(shipment.WaybillNumber, instruction, started))
            : Results.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: $"No {instruction} possible now",
                detail: $"Waybill {waybillNumber} is on attempt {shipment.Attempt}; {instruction} as attempt {attempt} needs the last attempt to have failed.");
    }

    private static Dictionary<string, string[]> Missing(BookingRequest? request)
    {
        var fields = new (string Name, string? Value)[]
        {
            ("reference", request?.Reference),
            ("recipientName", request?.RecipientName),
            ("recipientPhone", request?.RecipientPhone),
            ("address", request?.Address),
            ("senderName", request?.SenderName),
            ("senderAddress", request?.SenderAddress),
        };
        return fields
            .Where(f => string.IsNullOrWhiteSpace(f.Value))
            .ToDictionary(f => f.Name, _ => new[] { "is required" });
    }
}
