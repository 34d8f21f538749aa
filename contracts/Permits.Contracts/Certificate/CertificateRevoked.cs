namespace Permits.Contracts.Certificate;

/// <summary>歇业 (Kind "Closed") or 注销 (Kind "Cancelled"): the licence is no longer valid, for good.</summary>
public sealed record CertificateRevoked(
    Guid CertificateId,
    Guid ApplicationId,
    string CountyCode,
    string LicenceNumber,
    int Version,
    string Kind,
    string Reason,
    string OfficerId,
    DateTimeOffset RevokedAt)
{
    /// <summary>The application (变更, 延续, 停业, ...) whose approval caused this step; null when an officer acted directly.</summary>
    public Guid? RequestApplicationId { get; init; }
}
