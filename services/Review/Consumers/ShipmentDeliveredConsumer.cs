using Permits.Contracts.Delivery;
using Permits.Review.Domain;
using Permits.Shared.Data;
using Permits.Shared.Messaging;

namespace Permits.Review.Consumers;

/// <summary>送达: the licence reached the shopkeeper, so the 10-working-day service limit is met and the clock stops.</summary>
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

        await CaseClock.SaveAsync(session, clock, row.Id, row.CountyCode, LegalClock.Stop(row.Clock), message.DeliveredAt);
    }
}
