using Grpc.Core;
using Permits.Certificate.Features;
using Permits.Certificate.Features.Documents;
using Permits.Certificate.Features.Lifecycle;
using Permits.Certificate.Features.Register;
using Permits.Certificate.Security;
using Permits.Certificate.Signing;
using Permits.Contracts.Certificate.V1;
using Permits.Shared.Security;
using Permits.Shared.Steps;
using CertificateMessage = Permits.Contracts.Certificate.V1.Certificate;
using SigningKeysMessage = Permits.Contracts.Certificate.V1.SigningKeys;

namespace Permits.Certificate.Grpc;

/// <summary>
/// Thin: the one place that reads who is calling (an <see cref="Officer"/> for officer steps and the search, a
/// <see cref="LicenceReader"/> for the holder's and officers' reads, nobody for the public verification) and hands
/// it to the feature with the call's cancellation.
/// </summary>
public sealed class CertificatesService(
    GetCertificate get,
    VerifyLicence verify,
    GetStatusList statusList,
    GetLicenceDocument document,
    SearchLicences search,
    OfficerLifecycle lifecycle,
    CheckHolder holders,
    ReadDocuments documents,
    RecordService service,
    ImportRegister import,
    ExportRegister export,
    SigningKeyRing keys) : Certificates.CertificatesBase
{
    public override async Task<CertificateMessage> GetCertificate(GetCertificateRequest request, ServerCallContext context) =>
        await get.HandleAsync(request, await ReaderAsync(context), context.CancellationToken);

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

    public override async Task<LicenceDocument> GetLicenceDocument(GetLicenceDocumentRequest request, ServerCallContext context) =>
        await document.HandleAsync(request, await ReaderAsync(context), context.CancellationToken);

    public override async Task<SearchLicencesResponse> SearchLicences(SearchLicencesRequest request, ServerCallContext context) =>
        await search.HandleAsync(request, await Officer.FromAsync(context), context.CancellationToken);

    public override async Task<LicenceHistory> GetLicenceHistory(GetLicenceHistoryRequest request, ServerCallContext context) =>
        await get.HistoryAsync(request, await ReaderAsync(context), context.CancellationToken);

    public override Task<CertificateMessage> ChangeCertificate(ChangeCertificateRequest request, ServerCallContext context) =>
        StepAsync(context, request.LicenceNumber, input => ChangeLicence.Requested(request, input));

    public override Task<CertificateMessage> RenewCertificate(RenewCertificateRequest request, ServerCallContext context) =>
        StepAsync(context, request.LicenceNumber, input => RenewLicence.Requested(request, input));

    public override Task<CertificateMessage> SuspendCertificate(SuspendCertificateRequest request, ServerCallContext context) =>
        StepAsync(context, request.LicenceNumber, input => SuspendLicence.Requested(request, input));

    public override Task<CertificateMessage> ResumeCertificate(ResumeCertificateRequest request, ServerCallContext context) =>
        StepAsync(context, request.LicenceNumber, _ => ResumeLicence.Plan());

    public override Task<CertificateMessage> RevokeCertificate(RevokeCertificateRequest request, ServerCallContext context) =>
        StepAsync(context, request.LicenceNumber, input => RevokeLicence.Requested(request, input));

    public override Task<CertificateMessage> ReissueCertificate(ReissueCertificateRequest request, ServerCallContext context) =>
        StepAsync(context, request.LicenceNumber, input => ReissueLicence.Requested(request, input));

    public override async Task<CheckHolderResponse> CheckHolder(CheckHolderRequest request, ServerCallContext context) =>
        await holders.HandleAsync(request, await CallerIdentity.AuthenticateAsync(context), context.CancellationToken);

    public override async Task<ListDocumentsResponse> ListDocuments(ListDocumentsRequest request, ServerCallContext context) =>
        await documents.ListAsync(request, await ReaderAsync(context), context.CancellationToken);

    public override async Task<OfficialDocumentFile> GetDocument(GetDocumentRequest request, ServerCallContext context) =>
        await documents.GetAsync(request, await ReaderAsync(context), context.CancellationToken);

    public override async Task<OfficialDocument> RecordService(RecordServiceRequest request, ServerCallContext context) =>
        await service.HandleAsync(request, await Officer.FromAsync(context), context.CancellationToken);

    public override async Task<ImportLicencesResponse> ImportLicences(ImportLicencesRequest request, ServerCallContext context) =>
        await import.HandleAsync(request, await Officer.FromAsync(context), context.CancellationToken);

    public override async Task<ExportLicencesResponse> ExportLicences(ExportLicencesRequest request, ServerCallContext context) =>
        await export.HandleAsync(request, await Officer.FromAsync(context), context.CancellationToken);

    /// <summary>A lifecycle step by the officer calling (UNAUTHENTICATED or PERMISSION_DENIED for anyone else).</summary>
    private async Task<CertificateMessage> StepAsync(
        ServerCallContext context, string licenceNumber, Func<StepInput, LifecyclePlan> requested) =>
        await lifecycle.TakeAsync(await Officer.FromAsync(context), licenceNumber, requested, context.CancellationToken);

    /// <summary>The caller, with their token as sent (forwarded to Intake to ask whether they hold the licence).</summary>
    private static async Task<LicenceReader> ReaderAsync(ServerCallContext context) =>
        new(await CallerIdentity.AuthenticateAsync(context), context.RequestHeaders.GetValue("authorization"));
}
