using Permits.Contracts.Delivery;
using Permits.Contracts.Documents;
using Permits.Review.Domain;
using Permits.Shared.Data;
using Permits.Shared.Messaging;

namespace Permits.Review.Consumers;

/// <summary>
/// 送达: the licence reached the shopkeeper (by courier, or collected at the hall), which serves its 准予 decision: the
/// service is recorded and the clock stops.
/// </summary>
public sealed class ShipmentDeliveredConsumer(
    ServiceDatabase<ReviewModule> database,
    LegalClock clock,
    ILogger<ShipmentDeliveredConsumer> logger)
    : InboxConsumer<ReviewModule, ShipmentDelivered>(database, logger)
{
    private const string LoadSql = $"SELECT {CaseRow.Columns} FROM review_cases WHERE application_id = @ApplicationId";

    protected override async Task HandleAsync(ShipmentDelivered message, DbSession session, CancellationToken cancellationToken)
    {
        var row = await session.QuerySingleOrDefaultAsync<CaseRow>(LoadSql, new { message.ApplicationId });
        if (row is null || row.Clock.Phase != ClockPhase.Service)
        {
            return;
        }

        // A shipment without a waybill was collected at the hall with its pickup code.
        var method = string.IsNullOrEmpty(message.WaybillNumber) ? ServiceMethod.Hall : ServiceMethod.Post;
        await CaseService.RecordAsync(session, clock, row, method, message.DeliveredAt);
    }
}
