namespace Permits.Contracts.Certificate;

/// <summary>Disclosure record kinds for licence lifecycle steps after issue (issue itself is DisclosureKinds.CertificateIssued).</summary>
public static class CertificateDisclosureKinds
{
    public const string Changed = Disclosure.DisclosureKinds.CertificateChanged;
    public const string Renewed = Disclosure.DisclosureKinds.CertificateRenewed;
    public const string Suspended = Disclosure.DisclosureKinds.CertificateSuspended;
    public const string Resumed = Disclosure.DisclosureKinds.CertificateResumed;
    public const string Revoked = Disclosure.DisclosureKinds.CertificateRevoked;
    public const string Reissued = Disclosure.DisclosureKinds.CertificateReissued;
}
