using Permits.Certificate.Features;
using Permits.Contracts.Review;
using Permits.Shared.Data;
using Permits.Shared.Messaging;

namespace Permits.Certificate.Consumers;

/// <summary>Issues the licence for an approval (once per application, whatever the redeliveries).</summary>
public sealed class LicenceApprovedConsumer(
    ServiceDatabase<CertificateModule> database,
    IssueCertificate issue,
    ILogger<LicenceApprovedConsumer> logger)
    : InboxConsumer<CertificateModule, LicenceApproved>(database, logger)
{
    protected override Task HandleAsync(LicenceApproved message, DbSession session, CancellationToken cancellationToken) =>
        issue.HandleAsync(message, session);
}
