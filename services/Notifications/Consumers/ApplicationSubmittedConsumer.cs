using Permits.Contracts.Intake;
using Permits.Shared.Data;
using Permits.Shared.Messaging;

namespace Permits.Notifications.Consumers;

/// <summary>
/// Keeps who to tell about an application: its number, county and the phone the applicant gave for the licence's
/// delivery (the number already on the event, so no other service is asked and no new field crosses the broker).
/// The first record stays.
/// </summary>
public sealed class ApplicationSubmittedConsumer(
    ServiceDatabase<NotificationsModule> database, TimeProvider time, ILogger<ApplicationSubmittedConsumer> logger)
    : InboxConsumer<NotificationsModule, ApplicationSubmitted>(database, logger)
{
    private const string InsertSql = """
        INSERT INTO notification_contacts (application_id, application_number, county_code, phone, recorded_at)
        SELECT @ApplicationId, @ApplicationNumber, @CountyCode, @Phone, @RecordedAt
        WHERE NOT EXISTS (SELECT 1 FROM notification_contacts WHERE application_id = @ApplicationId)
        """;

    protected override Task HandleAsync(ApplicationSubmitted message, DbSession session, CancellationToken cancellationToken) =>
        session.ExecuteAsync(InsertSql, new
        {
            message.ApplicationId,
            message.ApplicationNumber,
            message.CountyCode,
            Phone = message.Delivery.RecipientPhone.Trim(),
            RecordedAt = time.GetUtcNow(),
        });
}
