namespace Permits.Contracts.Certificate;

/// <summary>变更 or 延续: the same licence number was issued again as a new version, superseding the previous one.</summary>
public sealed record CertificateVersionIssued(
    Guid CertificateId,
    Guid ApplicationId,
    string CountyCode,
    string LicenceNumber,
    string ElicenceId,
    int Version,
    string Reason,
    string HolderName,
    DateOnly ValidFrom,
    DateOnly ValidTo,
    string OfficerId,
    DateTimeOffset IssuedAt)
{
    /// <summary>The application (变更, 延续, 停业, ...) whose approval caused this step; null when an officer acted directly.</summary>
    public Guid? RequestApplicationId { get; init; }
}
