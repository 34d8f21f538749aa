using System.Security.Cryptography;

namespace Permits.FakeCourier;

/// <summary>A tracking event planned for a shipment; it "happens" (is reported) once <paramref name="DueAt"/> has passed.</summary>
public sealed record PlannedEvent(int Sequence, string Status, string Detail, string? SignedBy, DateTimeOffset DueAt);

/// <summary>One booked shipment. Mutable only under the ledger's lock.</summary>
public sealed class BookedShipment(string waybillNumber, string idempotencyKey, BookingRequest request, DateTimeOffset bookedAt, int failDeliveries)
{
    public string WaybillNumber => waybillNumber;
    public string IdempotencyKey => idempotencyKey;
    public BookingRequest Request => request;
    public DateTimeOffset BookedAt => bookedAt;

    /// <summary>How many delivery attempts will fail (fixed at booking from the faults then switched on).</summary>
    public int FailDeliveries => failDeliveries;

    /// <summary>Delivery attempts started (1 at booking, +1 per redelivery).</summary>
    public int Attempt { get; set; } = 1;

    public List<PlannedEvent> Plan { get; } = [];

    /// <summary>Sequences already posted to the callback URL.</summary>
    public HashSet<int> Sent { get; } = [];

    /// <summary>Failed posts per sequence; after <see cref="ShipmentLedger.WebhookGiveUp"/> the courier stops trying.</summary>
    public Dictionary<int, int> Failures { get; } = [];
}

/// <summary>What the courier knows, in memory. One lock: bookings are rare and tiny, and it makes "never book twice" obvious.</summary>
public sealed class ShipmentLedger(FakeCourierOptions options, FaultSwitch faults, TimeProvider time)
{
    public const string PickedUp = "PickedUp";
    public const string InTransit = "InTransit";
    public const string Delivered = "Delivered";
    public const string Failed = "Failed";
    public const string Returning = "Returning";
    public const string Returned = "Returned";

    private readonly Lock _lock = new();
    private readonly Dictionary<string, BookedShipment> _byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BookedShipment> _byWaybill = new(StringComparer.Ordinal);

    private TimeSpan Step => TimeSpan.FromSeconds(Math.Max(0, options.StepSeconds));

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _byKey.Count;
            }
        }
    }

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

            var now = time.GetUtcNow();
            var shipment = new BookedShipment(waybill, idempotencyKey, request, now, faults.Current.FailDeliveries);
            Append(shipment, now, (PickedUp, "快递员已揽收", null), (InTransit, "快件运输中，已到达转运中心", null), Outcome(shipment));
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

    /// <summary>
    /// Shipments with a planned event not yet sent (nor given up on): what a webhook round looks at. Every delivered
    /// shipment stays in the ledger, so a round over all of them grew with the run (the journey bench's fake courier
    /// cost more CPU than the services it stood beside once a thousand shipments were delivered).
    /// </summary>
    public IReadOnlyList<BookedShipment> WithUnsentEvents()
    {
        lock (_lock)
        {
            return _byKey.Values.Where(s => s.Sent.Count < s.Plan.Count).ToList();
        }
    }

    /// <summary>The events of a shipment that have happened by now, in sequence order.</summary>
    public IReadOnlyList<TrackingEventResponse> EventsOf(BookedShipment shipment)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            return shipment.Plan.Where(e => e.DueAt <= now).Select(ToResponse).ToList();
        }
    }

    /// <summary>
    /// Another delivery attempt after a failed one. Idempotent per attempt: asking again for the attempt already
    /// started changes nothing. Null when the shipment's last event is not a failure (nothing to redeliver).
    /// </summary>
    public int? Redeliver(BookedShipment shipment, int attempt) => Instruct(shipment, attempt, () =>
        Append(shipment, time.GetUtcNow(), (InTransit, $"第{attempt}次派送：快件已安排再次派送", null), Outcome(shipment)));

    /// <summary>Send the parcel back to the sender (the service hall). Idempotent like <see cref="Redeliver"/>.</summary>
    public int? Return(BookedShipment shipment, int attempt) => Instruct(shipment, attempt, () =>
        Append(shipment, time.GetUtcNow(), (Returning, "快件退回中", null), (Returned, "快件已退回寄件人", shipment.Request.SenderName)));

    private int? Instruct(BookedShipment shipment, int attempt, Action append)
    {
        lock (_lock)
        {
            if (attempt == shipment.Attempt)
            {
                return attempt;
            }

            var last = shipment.Plan[^1];
            if (attempt != shipment.Attempt + 1 || last.Status != Failed || last.DueAt > time.GetUtcNow())
            {
                return null;
            }

            shipment.Attempt = attempt;
            append();
            return attempt;
        }
    }

    private (string, string, string?) Outcome(BookedShipment shipment) =>
        shipment.Attempt <= shipment.FailDeliveries
            ? (Failed, faults.Current.FailureReason, null)
            : (Delivered, $"快件已签收，签收人：{shipment.Request.RecipientName}", shipment.Request.RecipientName);

    private void Append(BookedShipment shipment, DateTimeOffset from, params (string Status, string Detail, string? SignedBy)[] steps)
    {
        var next = shipment.Plan.Count + 1;
        for (var i = 0; i < steps.Length; i++)
        {
            var (status, detail, signedBy) = steps[i];
            shipment.Plan.Add(new PlannedEvent(next + i, status, detail, signedBy, from + (Step * (i + 1))));
        }
    }

    public static TrackingEventResponse ToResponse(PlannedEvent e) => new(e.Sequence, e.Status, e.DueAt, e.Detail, e.SignedBy);

    /// <summary>Due events not yet posted to the callback, for the webhook sender; marks none.</summary>
    public IReadOnlyList<PlannedEvent> Unsent(BookedShipment shipment, DateTimeOffset now, bool outOfOrder)
    {
        lock (_lock)
        {
            var due = shipment.Plan.Where(e => e.DueAt <= now && !shipment.Sent.Contains(e.Sequence)).ToList();
            if (!outOfOrder)
            {
                return due;
            }

            // Hold a lone event back until a later one is due too (or the plan is complete), then send newest first.
            var planComplete = shipment.Plan[^1].DueAt <= now;
            return due.Count >= 2 || planComplete ? due.OrderByDescending(e => e.Sequence).ToList() : [];
        }
    }

    public const int WebhookGiveUp = 50;

    /// <summary>Counts a failed post; true when the courier gives up on it (polling must catch it).</summary>
    public bool MarkFailed(BookedShipment shipment, int sequence)
    {
        lock (_lock)
        {
            var failures = shipment.Failures.GetValueOrDefault(sequence) + 1;
            shipment.Failures[sequence] = failures;
            if (failures >= WebhookGiveUp)
            {
                shipment.Sent.Add(sequence);
            }

            return failures >= WebhookGiveUp;
        }
    }

    public void MarkSent(BookedShipment shipment, int sequence)
    {
        lock (_lock)
        {
            shipment.Sent.Add(sequence);
        }
    }
}
