using Dapper;
using Permits.Delivery.Domain;
using Permits.Shared.Data;

namespace Permits.Delivery.Security;

/// <summary>
/// Who did what to a shipment at the service hall, and who was refused (another county, a wrong pickup code). A
/// done action is recorded in the action's own transaction; a refusal on its own connection, since the action's
/// transaction changes nothing. The audit never holds a pickup code.
/// </summary>
public sealed class ShipmentAudit(ServiceDatabase<DeliveryModule> database, TimeProvider time)
{
    public const string Done = "done";
    public const string Refused = "refused";

    private const string InsertSql = """
        INSERT INTO shipment_audit (
            id, shipment_id, county_code, officer_subject, officer_name, officer_county, action, outcome, detail, at)
        VALUES (@Id, @ShipmentId, @CountyCode, @OfficerSubject, @OfficerName, @OfficerCounty, @Action, @Outcome, @Detail, @At)
        """;

    private const string RefusalCountsSql = """
        SELECT
            (SELECT COUNT(*) FROM shipment_audit
             WHERE shipment_id = @ShipmentId AND action = @Action AND outcome = 'refused' AND detail = @Detail AND at >= @Since) AS Shipment,
            (SELECT COUNT(*) FROM shipment_audit
             WHERE officer_subject = @OfficerSubject AND action = @Action AND outcome = 'refused' AND detail = @Detail AND at >= @Since) AS Officer
        """;

    /// <summary>How often <paramref name="action"/> was refused with <paramref name="detail"/> since a moment, for the shipment and for the officer.</summary>
    public async Task<(long Shipment, long Officer)> RefusalsSinceAsync(
        Guid shipmentId, HallOfficer officer, string action, string detail, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var counts = await connection.QuerySingleAsync<RefusalCounts>(RefusalCountsSql, new
        {
            ShipmentId = shipmentId,
            OfficerSubject = TrackingLog.Clip(officer.Subject, 200),
            Action = action,
            Detail = detail,
            Since = since,
        });
        return (counts.Shipment, counts.Officer);
    }

    private sealed class RefusalCounts
    {
        public long Shipment { get; init; }
        public long Officer { get; init; }
    }

    public Task DoneAsync(DbSession session, Guid shipmentId, string countyCode, HallOfficer officer, string action, string detail) =>
        session.ExecuteAsync(InsertSql, Row(shipmentId, countyCode, officer, action, Done, detail));

    public async Task RefusedAsync(Guid shipmentId, string countyCode, HallOfficer officer, string action, string detail)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync(InsertSql, Row(shipmentId, countyCode, officer, action, Refused, detail));
    }

    private object Row(Guid shipmentId, string countyCode, HallOfficer officer, string action, string outcome, string detail) => new
    {
        Id = Guid.NewGuid(),
        ShipmentId = shipmentId,
        CountyCode = countyCode,
        OfficerSubject = TrackingLog.Clip(officer.Subject, 200),
        OfficerName = TrackingLog.Clip(officer.Name, 100),
        OfficerCounty = TrackingLog.Clip(officer.CountyCode, 6),
        Action = action,
        Outcome = outcome,
        Detail = TrackingLog.Clip(detail, 500),
        At = time.GetUtcNow(),
    };
}
