namespace Permits.Contracts.Certificate;

/// <summary>
/// A batch of licences a county imported from its previous system (许可证登记簿导入): they are in force as if issued
/// here, but were not issued now, so nothing is delivered or disclosed for them (no <see cref="CertificateIssued"/>).
/// Services that keep a copy of the county's licences (Review's outlets for the 合理布局 check) take them from this.
/// One import publishes several batches; each batch is whole.
/// </summary>
public sealed record LicencesImported(Guid ImportId, int Batch, string CountyCode, IReadOnlyList<ImportedLicence> Licences, DateTimeOffset ImportedAt);

/// <summary>
/// One imported licence: number, holder, premises, validity and status word (Valid, Suspended or Revoked, as
/// Certificate stores it), and where the outlet is when the register gave its coordinates (WGS-84 degrees).
/// </summary>
public sealed record ImportedLicence(
    Guid ApplicationId,
    string LicenceNumber,
    string HolderType,
    string HolderName,
    string PremisesAddress,
    DateOnly ValidFrom,
    DateOnly ValidTo,
    string Status,
    double? Longitude,
    double? Latitude);
