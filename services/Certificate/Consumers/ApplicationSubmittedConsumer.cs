using Permits.Contracts.Intake;
using Permits.Shared.Data;
using Permits.Shared.Messaging;

namespace Permits.Certificate.Consumers;

/// <summary>
/// Keeps what each application asks for (its request type and, for anything but 新办, the licence it concerns), so the
/// approval of a 变更 or 停业 acts on that licence and never allocates a new number; for 停业 also the period asked for; and who the holder is (the
/// digest of the 负责人's 身份证号, see <see cref="Features.CheckHolder"/>) and how a request's applicant matched them; and
/// what the formal documents need (<see cref="Features.Documents.ApplicantFacts"/>): whom they are addressed to, where,
/// whether they may be served electronically and how the licence is to be delivered. The first record stays.
/// </summary>
public sealed class ApplicationSubmittedConsumer(ServiceDatabase<CertificateModule> database, ILogger<ApplicationSubmittedConsumer> logger)
    : InboxConsumer<CertificateModule, ApplicationSubmitted>(database, logger)
{
    private const string InsertSql = """
        INSERT INTO licence_requests (application_id, application_number, county_code, request_type, licence_number, submitted_at, suspend_from, suspend_until,
            holder_id_digest, holder_match, business_name, premises_address, electronic_service, delivery_method)
        SELECT @ApplicationId, @ApplicationNumber, @CountyCode, @RequestType, @LicenceNumber, @SubmittedAt, @SuspendFrom, @SuspendUntil,
            @HolderIdDigest, @HolderMatch, @BusinessName, @PremisesAddress, @ElectronicServiceConsent, @DeliveryMethod
        WHERE NOT EXISTS (SELECT 1 FROM licence_requests WHERE application_id = @ApplicationId)
        """;

    protected override Task HandleAsync(ApplicationSubmitted message, DbSession session, CancellationToken cancellationToken) =>
        session.ExecuteAsync(InsertSql, new
        {
            message.ApplicationId,
            message.ApplicationNumber,
            message.CountyCode,
            message.RequestType,
            LicenceNumber = string.IsNullOrWhiteSpace(message.LicenceNumber) ? null : message.LicenceNumber.Trim(),
            SubmittedAt = message.SubmittedAt.ToUniversalTime(),
            message.SuspendFrom,
            message.SuspendUntil,
            message.HolderIdDigest,
            message.HolderMatch,
            message.BusinessName,
            message.PremisesAddress,
            message.ElectronicServiceConsent,
            DeliveryMethod = message.Delivery?.Method.ToString(),
        });
}
