using Google.Protobuf;
using Grpc.Core;
using Permits.Certificate.Documents;
using Permits.Documents;
using Permits.Certificate.Security;
using Permits.Certificate.Signing;
using Permits.Contracts.Certificate.V1;

namespace Permits.Certificate.Features;

/// <summary>
/// The licence files: the PDF licence face and the signed JSON of the current version, for the holder or an officer of
/// the licence's county (<see cref="LicenceAccess"/>). The request's application number is no longer a key: it is
/// printed in the public disclosure records, so it proves nothing.
/// </summary>
public sealed class GetLicenceDocument(
    GetCertificate certificates,
    LicenceSigner signer,
    IConfiguration configuration,
    ILogger<GetLicenceDocument> logger)
{
    public async Task<LicenceDocument> HandleAsync(GetLicenceDocumentRequest request, LicenceReader reader, CancellationToken cancellationToken)
    {
        var row = await certificates.ReadAsync(request.LicenceNumber, request.ApplicationId, reader, cancellationToken);

        var token = row.Token ?? signer.SignToken(row, row.ElicenceId ?? signer.ElicenceIdOf(row.CountyCode, row.LicenceNumber, row.Version)).Token;
        byte[] pdf;
        try
        {
            pdf = LicencePdf.Render(signer.DocumentFields(row), token, configuration);
            NativeHeap.TrimSoon();
        }
        catch (FontMissingException error)
        {
            logger.LogError("{Message}", error.Message);
            throw new RpcException(new Status(StatusCode.FailedPrecondition, error.Message));
        }

        return new LicenceDocument
        {
            Pdf = ByteString.CopyFrom(pdf),
            SignedJson = signer.SignDocument(row),
            Token = token,
            FileName = $"烟草专卖零售许可证-{row.LicenceNumber}-v{row.Version:D3}.pdf",
        };
    }
}
