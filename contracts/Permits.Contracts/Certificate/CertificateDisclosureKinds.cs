namespace Permits.Contracts.Certificate;

/// <summary>Disclosure record kinds for licence lifecycle steps after issue (issue itself is DisclosureKinds.CertificateIssued).</summary>
public static class CertificateDisclosureKinds
{
    public const string Changed = "certificate-changed";
    public const string Renewed = "certificate-renewed";
    public const string Suspended = "certificate-suspended";
    public const string Resumed = "certificate-resumed";
    public const string Revoked = "certificate-revoked";
    public const string Reissued = "certificate-reissued";
}
