using Permits.Shared.Data;

namespace Permits.Delivery.Domain;

/// <summary>
/// A shipment's tracking history, one row per step. Courier events keep the courier's sequence (1, 2, …); the
/// steps Delivery takes itself (handed to the courier, put out for pickup, redelivery asked, handed over at the hall)
/// get 0, -1, -2, … The history reads in the order the steps were recorded.
/// </summary>
public static class TrackingLog
{
    public const int LocalSequence = 0;

    private const string InsertSql = """
        INSERT INTO shipment_events (shipment_id, sequence, status, occurred_at, detail, recorded_at)
        VALUES (@ShipmentId, @Sequence, @Status, @OccurredAt, @Detail, @RecordedAt)
        """;

    private const string NextLocalSql = """
        SELECT COALESCE(MIN(sequence), 1) - 1 FROM shipment_events WHERE shipment_id = @ShipmentId AND sequence <= 0
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

    /// <summary>Records a step Delivery took itself, under the next free local sequence (0, -1, -2, …).</summary>
    public static async Task AddLocalAsync(DbSession session, Guid shipmentId, string status, string detail, DateTimeOffset now)
    {
        var sequence = await session.ExecuteScalarAsync<int>(NextLocalSql, new { ShipmentId = shipmentId });
        await AddAsync(session, shipmentId, sequence, status, now, detail, now);
    }

    public static string Clip(string text, int length) => text.Length <= length ? text : text[..length];
}

/// <summary>One step of a shipment's tracking history, as read back.</summary>
public sealed class TrackingRow
{
    public const string Columns = "sequence AS Sequence, status AS Status, occurred_at AS OccurredAt, detail AS Detail";

    public int Sequence { get; init; }
    public string Status { get; init; } = "";
    public DateTimeOffset OccurredAt { get; init; }
    public string Detail { get; init; } = "";
}
