using Permits.Shared.Data;

namespace Permits.Delivery.Domain;

/// <summary>
/// A shipment's tracking history, one row per step. Courier events keep the courier's sequence (1, 2, …); the
/// step Delivery takes itself (handed to the courier, or put out for pickup) is sequence 0.
/// </summary>
public static class TrackingLog
{
    public const int LocalSequence = 0;

    private const string InsertSql = """
        INSERT INTO shipment_events (shipment_id, sequence, status, occurred_at, detail, recorded_at)
        VALUES (@ShipmentId, @Sequence, @Status, @OccurredAt, @Detail, @RecordedAt)
        """;

    public static Task AddAsync(
        DbSession session, Guid shipmentId, int sequence, string status, DateTimeOffset occurredAt, string detail, DateTimeOffset recordedAt) =>
        session.ExecuteAsync(InsertSql, new
        {
            ShipmentId = shipmentId,
            Sequence = sequence,
            Status = status,
            OccurredAt = occurredAt,
            Detail = Clip(detail, 500),
            RecordedAt = recordedAt,
        });

    public static string Clip(string text, int length) => text.Length <= length ? text : text[..length];
}
