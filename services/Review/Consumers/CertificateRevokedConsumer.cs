using Permits.Contracts.Certificate;
using Permits.Shared.Data;
using Permits.Shared.Messaging;

namespace Permits.Review.Consumers;

/// <summary>
/// 歇业 or 注销 (or revocation): the licence is no longer valid, so its outlet leaves the county's copy and no longer
/// counts against a new shop's 合理布局 check. A suspended licence (停业) stays: the outlet keeps its place.
/// </summary>
public sealed class CertificateRevokedConsumer(ServiceDatabase<ReviewModule> database, ILogger<CertificateRevokedConsumer> logger)
    : InboxConsumer<ReviewModule, CertificateRevoked>(database, logger)
{
    private const string DeleteSql = "DELETE FROM review_outlets WHERE licence_number = @LicenceNumber";

    protected override Task HandleAsync(CertificateRevoked message, DbSession session, CancellationToken cancellationToken) =>
        session.ExecuteAsync(DeleteSql, new { message.LicenceNumber });
}
