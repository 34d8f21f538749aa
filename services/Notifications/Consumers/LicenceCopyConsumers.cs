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
