using Dapper;
using Permits.Contracts.Delivery;
using Permits.Delivery.Domain;
using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Delivery.Features;

/// <summary>
/// The 10-working-day service limit (送达期限): a shipment not delivered when its limit day has passed (China time)
/// is flagged once: <c>late_flagged_at</c> is set (GetShipment shows <c>late</c>) and <see cref="ShipmentLate"/>
/// tells the county, in one transaction. No disclosure record: lateness is internal supervision; the public record
/// already shows when the licence was issued and when it was served.
/// </summary>
public sealed partial class FlagLateShipments(
    ServiceDatabase<DeliveryModule> database,
    TimeProvider time,
    ILogger<FlagLateShipments> logger)
{
    private const string Columns = """
        id AS Id, application_id AS ApplicationId, application_number AS ApplicationNumber, county_code AS CountyCode,
               status AS Status, service_due_by AS ServiceDueBy, service_due_provisional AS ServiceDueProvisional
        """;

    /// <summary>The filter of the partial index ix_shipments_late, word for word (a planner matches it as text, not by value).</summary>
    private const string Open = $"late_flagged_at IS NULL AND status <> '{ShipmentStatus.Delivered}'";

    private const string DueSqlSqlite = $"""
        SELECT {Columns}
        FROM shipments WHERE {Open} AND service_due_by < @Today
        ORDER BY service_due_by, id LIMIT @Limit
        """;

    private const string DueSqlPostgres = DueSqlSqlite;

    private const string DueSqlSqlServer = $"""
        SELECT TOP (@Limit) {Columns}
        FROM shipments WHERE {Open} AND service_due_by < @Today
        ORDER BY service_due_by, id
        """;

    private const string FlagSql = """
        UPDATE shipments SET late_flagged_at = @Now WHERE id = @Id AND late_flagged_at IS NULL AND status <> @Delivered
        """;

    /// <summary>The day in China now: the limit day itself still counts as in time.</summary>
    public DateOnly Today => time.Today();

    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        List<LateRow> late;
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            late = (await connection.QueryAsync<LateRow>(DueSql(database.Dialect), new
            {
                Today,
                Limit = DeliverySettings.BatchSize,
            })).AsList();
        }

        var flagged = 0;
        foreach (var shipment in late)
        {
            var now = time.GetUtcNow();
            await using var session = await database.BeginAsync(cancellationToken);
            if (await session.ExecuteAsync(FlagSql, new { shipment.Id, Now = now, Delivered = ShipmentStatus.Delivered }) == 0)
            {
                continue;
            }

            await session.PublishAsync(
                new ShipmentLate(shipment.Id, shipment.ApplicationId, shipment.ApplicationNumber, shipment.CountyCode,
                    shipment.Status, shipment.ServiceDueBy, shipment.ServiceDueProvisional != 0, now),
                DeterministicGuid.Create(shipment.Id, "late"));
            await session.CommitAsync(cancellationToken);
            flagged++;
            LogLate(logger, shipment.ApplicationNumber, shipment.ServiceDueBy, shipment.Status);
        }

        return flagged;
    }

    private static string DueSql(SqlDialect dialect) => dialect switch
    {
        SqlDialect.SqlServer => DueSqlSqlServer,
        SqlDialect.PostgreSql => DueSqlPostgres,
        _ => DueSqlSqlite,
    };

    [LoggerMessage(LogLevel.Warning, "Licence of application {ApplicationNumber} not served by {ServiceDueBy} (status {Status}): flagged late to the county")]
    private static partial void LogLate(ILogger logger, string applicationNumber, DateOnly serviceDueBy, string status);

    private sealed class LateRow : ShipmentKey
    {
        public string Status { get; init; } = "";
        public DateOnly ServiceDueBy { get; init; }
        public int ServiceDueProvisional { get; init; }
    }
}
