using Permits.Contracts.Certificate;
using Permits.Shared.Data;
using Permits.Shared.Messaging;

namespace Permits.Review.Consumers;

/// <summary>
/// A county imported its existing licences: each one in force (valid or suspended, as a suspended outlet keeps its
/// place, see <see cref="CertificateRevokedConsumer"/>) whose register gave the outlet's coordinates joins the county's
/// copy of outlets, so the 合理布局 check counts it like a licence issued here. Licences without coordinates cannot be
/// placed and are left out, as an issued licence without a located inspection is. Idempotent by the inbox and the
/// licence number.
/// </summary>
public sealed class LicencesImportedConsumer(ServiceDatabase<ReviewModule> database, ILogger<LicencesImportedConsumer> logger)
    : InboxConsumer<ReviewModule, LicencesImported>(database, logger)
{
    protected override Task HandleAsync(LicencesImported message, DbSession session, CancellationToken cancellationToken) =>
        session.ExecuteAsync(CertificateIssuedConsumer.InsertSql, message.Licences
            .Where(l => l.Status != "Revoked" && l.Latitude is not null && l.Longitude is not null)
            .Select(l => new
            {
                l.LicenceNumber,
                message.CountyCode,
                Name = l.HolderName,
                l.Latitude,
                l.Longitude,
                l.ApplicationId,
                IssuedAt = message.ImportedAt,
            }));
}
