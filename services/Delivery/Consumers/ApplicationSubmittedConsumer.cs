using Permits.Contracts.Intake;
using Permits.Shared.Data;
using Permits.Shared.Messaging;

namespace Permits.Delivery.Consumers;

/// <summary>
/// Keeps the shopkeeper's delivery choice (courier to an address, or pickup) from the application, so the licence can
/// be sent once it is issued without asking Intake; for a request on a licence, whether its applicant was matched to the
/// licence's holder. The first choice stays: a repeat of the event changes nothing.
/// </summary>
public sealed class ApplicationSubmittedConsumer(ServiceDatabase<DeliveryModule> database, ILogger<ApplicationSubmittedConsumer> logger)
    : InboxConsumer<DeliveryModule, ApplicationSubmitted>(database, logger)
{
    private const string InsertSql = """
        INSERT INTO delivery_requests (
            application_id, application_number, county_code, method, recipient_name, recipient_phone, address, submitted_at,
            licence_number, holder_match)
        SELECT @ApplicationId, @ApplicationNumber, @CountyCode, @Method, @RecipientName, @RecipientPhone, @Address, @SubmittedAt,
            @LicenceNumber, @HolderMatch
        WHERE NOT EXISTS (SELECT 1 FROM delivery_requests WHERE application_id = @ApplicationId)
        """;

    protected override Task HandleAsync(ApplicationSubmitted message, DbSession session, CancellationToken cancellationToken) =>
        session.ExecuteAsync(InsertSql, new
        {
            message.ApplicationId,
            message.ApplicationNumber,
            message.CountyCode,
            Method = message.Delivery.Method.ToString(),
            message.Delivery.RecipientName,
            message.Delivery.RecipientPhone,
            message.Delivery.Address,
            SubmittedAt = message.SubmittedAt.ToUniversalTime(),
            LicenceNumber = string.IsNullOrWhiteSpace(message.LicenceNumber) ? null : message.LicenceNumber.Trim(),
            message.HolderMatch,
        });
}
