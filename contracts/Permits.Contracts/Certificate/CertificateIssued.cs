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
    DateTimeOffset IssuedAt)
{
    /// <summary>电子证照标识 (GB/T 36904 form) of the issued version.</summary>
    public string? ElicenceId { get; init; }

    public int Version { get; init; } = 1;

    /// <summary>The compact signed token the licence's QR code carries.</summary>
    public string? Token { get; init; }
}
