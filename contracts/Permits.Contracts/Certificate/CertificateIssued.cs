namespace Permits.Contracts.Certificate;

/// <summary>The licence number was allocated and the electronic licence issued.</summary>
public sealed record CertificateIssued(
    Guid CertificateId,
    Guid ApplicationId,
    string ApplicationNumber,
    string CountyCode,
    string LicenceNumber,
    string HolderName,
    DateOnly ValidFrom,
    DateOnly ValidTo,
    DateTimeOffset IssuedAt);
