namespace Permits.Contracts.Certificate;

/// <summary>补办: the same version issued again as duplicate number <see cref="Duplicate"/> (lost or damaged licence).</summary>
public sealed record CertificateReissued(
    Guid CertificateId,
    Guid ApplicationId,
    string CountyCode,
    string LicenceNumber,
    int Version,
    int Duplicate,
    string Reason,
    string OfficerId,
    DateTimeOffset ReissuedAt)
{
    /// <summary>The application (变更, 延续, 停业, ...) whose approval caused this step; null when an officer acted directly.</summary>
    public Guid? RequestApplicationId { get; init; }
}
