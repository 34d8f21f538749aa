namespace Permits.Contracts.Certificate;

/// <summary>恢复营业: a suspended licence is valid again.</summary>
public sealed record CertificateResumed(
    Guid CertificateId,
    Guid ApplicationId,
    string CountyCode,
    string LicenceNumber,
    int Version,
    string OfficerId,
    DateTimeOffset ResumedAt)
{
    /// <summary>The application (变更, 延续, 停业, ...) whose approval caused this step; null when an officer acted directly.</summary>
    public Guid? RequestApplicationId { get; init; }
}
