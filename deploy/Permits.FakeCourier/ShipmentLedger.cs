using System.Security.Cryptography;

namespace Permits.FakeCourier;

/// <summary>One booked shipment. <paramref name="Script"/> is what will happen to it, one step per tracking event.</summary>
public sealed record BookedShipment(
    string WaybillNumber,
    string IdempotencyKey,
    BookingRequest Request,
    DateTimeOffset BookedAt,
    IReadOnlyList<ScriptedStep> Script);

/// <summary>A tracking event the courier will report once its time has come.</summary>
public sealed record ScriptedStep(string Status, string Detail, string? SignedBy = null);

/// <summary>What the courier knows, in memory. One lock: bookings are rare and tiny, and it makes "never book twice" obvious.</summary>
public sealed class ShipmentLedger(FakeCourierOptions options, TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, BookedShipment> _byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BookedShipment> _byWaybill = new(StringComparer.Ordinal);

    /// <summary>Books once per idempotency key; a repeat gets the first booking back with <c>Created = false</c>.</summary>
    public (BookedShipment Shipment, bool Created) Book(string idempotencyKey, BookingRequest request)
    {
        lock (_lock)
        {
            if (_byKey.TryGetValue(idempotencyKey, out var existing))
            {
                return (existing, false);
            }

            string waybill;
            do
            {
                waybill = "SF" + RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6") +
                          RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6");
            }
            while (_byWaybill.ContainsKey(waybill));

            var shipment = new BookedShipment(waybill, idempotencyKey, request, time.GetUtcNow(), HappyPath(request));
            _byKey[idempotencyKey] = shipment;
            _byWaybill[waybill] = shipment;
            return (shipment, true);
        }
    }

    public BookedShipment? Find(string waybillNumber)
    {
        lock (_lock)
        {
            return _byWaybill.GetValueOrDefault(waybillNumber);
        }
    }

    /// <summary>The events of a shipment that have happened by now: step k once k × StepSeconds have passed.</summary>
    public IReadOnlyList<TrackingEventResponse> EventsOf(BookedShipment shipment)
    {
        var step = TimeSpan.FromSeconds(Math.Max(0, options.StepSeconds));
        var elapsed = time.GetUtcNow() - shipment.BookedAt;
        var events = new List<TrackingEventResponse>();
        for (var k = 1; k <= shipment.Script.Count; k++)
        {
            var due = step * k;
            if (elapsed < due)
            {
                break;
            }

            var scripted = shipment.Script[k - 1];
            events.Add(new TrackingEventResponse(k, scripted.Status, shipment.BookedAt + due, scripted.Detail, scripted.SignedBy));
        }

        return events;
    }

    private static List<ScriptedStep> HappyPath(BookingRequest request) =>
    [
        new("PickedUp", "快递员已揽收"),
        new("InTransit", "快件运输中，已到达转运中心"),
        new("Delivered", $"快件已签收，签收人：{request.RecipientName}", request.RecipientName),
    ];
}
