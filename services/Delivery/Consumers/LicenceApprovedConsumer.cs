using Permits.Contracts.Review;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Messaging;

namespace Permits.Delivery.Consumers;

/// <summary>
/// Keeps the date of the 准予 decision: the licence's service limit counts from it (<see cref="ServiceClock"/>, the rule
/// Review counts by), not from when the licence was issued. A shipment opened before this event arrived is set right.
/// </summary>
public sealed class LicenceApprovedConsumer(
    ServiceDatabase<DeliveryModule> database, WorkingDayCalendar calendar, ILogger<LicenceApprovedConsumer> logger)
    : InboxConsumer<DeliveryModule, LicenceApproved>(database, logger)
{
    private const string InsertSql = """
        INSERT INTO delivery_decisions (application_id, decided_at)
        SELECT @ApplicationId, @DecidedAt
        WHERE NOT EXISTS (SELECT 1 FROM delivery_decisions WHERE application_id = @ApplicationId)
        """;

    private const string UpdateSql = """
        UPDATE shipments SET service_due_by = @DueBy, service_due_provisional = @Provisional
        WHERE application_id = @ApplicationId
        """;

    protected override async Task HandleAsync(LicenceApproved message, DbSession session, CancellationToken cancellationToken)
    {
        await session.ExecuteAsync(InsertSql, new { message.ApplicationId, DecidedAt = message.ApprovedAt.ToUniversalTime() });
        var due = ServiceClock.DueBy(calendar, message.ApprovedAt);
        await session.ExecuteAsync(UpdateSql, new
        {
            message.ApplicationId,
            DueBy = due.Date,
            Provisional = due.Provisional ? 1 : 0,
        });
    }
}
