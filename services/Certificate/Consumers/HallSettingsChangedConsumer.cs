using Permits.Certificate.Features.Documents;
using Permits.Contracts.Delivery;
using Permits.Shared.Data;
using Permits.Shared.Messaging;

namespace Permits.Certificate.Consumers;

/// <summary>A county moved or re-timed its service hall: the documents issued from now on name it (<see cref="CountyHalls"/>).</summary>
public sealed class HallSettingsChangedConsumer(ServiceDatabase<CertificateModule> database, ILogger<HallSettingsChangedConsumer> logger)
    : InboxConsumer<CertificateModule, HallSettingsChanged>(database, logger)
{
    protected override Task HandleAsync(HallSettingsChanged message, DbSession session, CancellationToken cancellationToken) =>
        CountyHalls.KeepAsync(session, message);
}
