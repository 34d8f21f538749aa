using Permits.Contracts.Certificate;
using Permits.Notifications.Features;
using Permits.Shared.Data;
using Permits.Shared.Messaging;

namespace Permits.Notifications.Consumers;

/// <summary>变更 or 延续: the same licence with a new expiry; reminders follow the new date.</summary>
public sealed class CertificateVersionIssuedConsumer(
    ServiceDatabase<NotificationsModule> database, TimeProvider time, ILogger<CertificateVersionIssuedConsumer> logger)
    : InboxConsumer<NotificationsModule, CertificateVersionIssued>(database, logger)
{
    protected override Task HandleAsync(CertificateVersionIssued message, DbSession session, CancellationToken cancellationToken) =>
        LicenceCopy.RecordAsync(
            session, message.LicenceNumber, message.ApplicationId, message.CountyCode, message.HolderName, message.ValidTo, time.GetUtcNow());
}

/// <summary>歇业 or 注销: the licence is gone for good, and so are its reminders.</summary>
public sealed class CertificateRevokedConsumer(
    ServiceDatabase<NotificationsModule> database, TimeProvider time, ILogger<CertificateRevokedConsumer> logger)
    : InboxConsumer<NotificationsModule, CertificateRevoked>(database, logger)
{
    protected override Task HandleAsync(CertificateRevoked message, DbSession session, CancellationToken cancellationToken) =>
        LicenceCopy.RevokeAsync(session, message.LicenceNumber, time.GetUtcNow());
}

/// <summary>
/// Licences a county imported from its previous system: in force, so their expiry is in the clerk's monthly notice.
/// The register carries no phone number, so their holders get an SMS only once an application of theirs is known here.
/// </summary>
public sealed class LicencesImportedConsumer(
    ServiceDatabase<NotificationsModule> database, TimeProvider time, ILogger<LicencesImportedConsumer> logger)
    : InboxConsumer<NotificationsModule, LicencesImported>(database, logger)
{
    protected override async Task HandleAsync(LicencesImported message, DbSession session, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var licence in message.Licences.Where(l => l.Status is "Valid" or "Suspended"))
        {
            await LicenceCopy.RecordAsync(
                session, licence.LicenceNumber, licence.ApplicationId, message.CountyCode, licence.HolderName, licence.ValidTo, now);
        }
    }
}
