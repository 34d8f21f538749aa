namespace Permits.Contracts.Certificate;

/// <summary>停业: the licence is suspended until resumed.</summary>
public sealed record CertificateSuspended(
    Guid CertificateId,
    Guid ApplicationId,
    string CountyCode,
    string LicenceNumber,
    int Version,
    string Reason,
    string OfficerId,
    DateTimeOffset SuspendedAt)
{
    /// <summary>The application (变更, 延续, 停业, ...) whose approval caused this step; null when an officer acted directly.</summary>
    public Guid? RequestApplicationId { get; init; }
}
