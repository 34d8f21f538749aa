using Grpc.Core;
using Permits.Certificate.Features;
using Permits.Certificate.Signing;
using Permits.Contracts.Certificate.V1;
using CertificateMessage = Permits.Contracts.Certificate.V1.Certificate;
using SigningKeysMessage = Permits.Contracts.Certificate.V1.SigningKeys;

namespace Permits.Certificate.Grpc;

/// <summary>Thin: each call goes to its feature, which checks the caller's token (see <see cref="Security.LicenceAccess"/>).</summary>
public sealed class CertificatesService(
    GetCertificate get,
    VerifyLicence verify,
    GetStatusList statusList,
    GetLicenceDocument document,
    SearchLicences search,
    LicenceLifecycle lifecycle,
    CheckHolder holders,
    SigningKeyRing keys) : Certificates.CertificatesBase
{
    public override Task<CertificateMessage> GetCertificate(GetCertificateRequest request, ServerCallContext context) =>
        get.HandleAsync(request, context);

    public override Task<VerifyResponse> Verify(VerifyRequest request, ServerCallContext context) =>
        verify.HandleAsync(request, context.CancellationToken);

    public override Task<StatusList> GetStatusList(GetStatusListRequest request, ServerCallContext context) =>
        statusList.HandleAsync(request, context.CancellationToken);

    public override Task<SigningKeysMessage> GetSigningKeys(GetSigningKeysRequest request, ServerCallContext context)
    {
        var response = new SigningKeysMessage();
        response.Keys.AddRange(keys.All.OrderBy(k => k.KeyId, StringComparer.Ordinal).Select(k => new SigningPublicKey
        {
            KeyId = k.KeyId,
            Bureau = k.Bureau,
            PublicKeyPem = Sm2.ToPublicPem(k.PublicKey),
            Active = k.PrivateKey is not null,
        }));
        return Task.FromResult(response);
    }

    public override Task<LicenceDocument> GetLicenceDocument(GetLicenceDocumentRequest request, ServerCallContext context) =>
        document.HandleAsync(request, context);

    public override Task<SearchLicencesResponse> SearchLicences(SearchLicencesRequest request, ServerCallContext context) =>
        search.HandleAsync(request, context);

    public override Task<LicenceHistory> GetLicenceHistory(GetLicenceHistoryRequest request, ServerCallContext context) =>
        get.HistoryAsync(request, context);

    public override Task<CertificateMessage> ChangeCertificate(ChangeCertificateRequest request, ServerCallContext context) =>
        lifecycle.ChangeAsync(request, context);

    public override Task<CertificateMessage> RenewCertificate(RenewCertificateRequest request, ServerCallContext context) =>
        lifecycle.RenewAsync(request, context);

    public override Task<CertificateMessage> SuspendCertificate(SuspendCertificateRequest request, ServerCallContext context) =>
        lifecycle.SuspendAsync(request, context);

    public override Task<CertificateMessage> ResumeCertificate(ResumeCertificateRequest request, ServerCallContext context) =>
        lifecycle.ResumeAsync(request, context);

    public override Task<CertificateMessage> RevokeCertificate(RevokeCertificateRequest request, ServerCallContext context) =>
        lifecycle.RevokeAsync(request, context);

    public override Task<CertificateMessage> ReissueCertificate(ReissueCertificateRequest request, ServerCallContext context) =>
        lifecycle.ReissueAsync(request, context);

    public override Task<CheckHolderResponse> CheckHolder(CheckHolderRequest request, ServerCallContext context) =>
        holders.HandleAsync(request, context);
}
