using Google.Protobuf;
using Grpc.Core;
using Permits.Certificate.Documents;
using Permits.Certificate.Signing;
using Permits.Contracts.Certificate.V1;
using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Certificate.Features;

/// <summary>
/// The holder's files: the PDF licence face and the signed JSON. Until sign-in exists, the holder proves it is theirs
/// with the application number and the licence number together; a mismatch reads as not found.
/// </summary>
public sealed class GetLicenceDocument(
    ServiceDatabase<CertificateModule> database,
    LicenceSigner signer,
    IConfiguration configuration,
    ILogger<GetLicenceDocument> logger)
{
    public async Task<LicenceDocument> HandleAsync(GetLicenceDocumentRequest request, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var applicationNumber = request.ApplicationNumber.Trim();
        if (applicationNumber.Length == 0)
        {
            errors.Add("application_number", "请填写申请编号");
        }

        var licence = request.LicenceNumber.Trim();
        if (licence.Length != 12 || !licence.All(char.IsAsciiDigit))
        {
            errors.Add("licence_number", licence.Length == 0 ? "请填写许可证号" : "许可证号应为 12 位数字");
        }

        errors.ThrowIfAny();
        var row = await CertificateRecords.FindAsync(database, licence, cancellationToken);
        if (row is null || !string.Equals(row.ApplicationNumber, applicationNumber, StringComparison.OrdinalIgnoreCase))
        {
            throw new RpcException(new Status(StatusCode.NotFound, "申请编号与许可证号不匹配，或没有该许可证"));
        }

        var token = row.Token ?? signer.SignToken(row, row.ElicenceId ?? signer.ElicenceIdOf(row.CountyCode, row.LicenceNumber, row.Version)).Token;
        byte[] pdf;
        try
        {
            pdf = LicencePdf.Render(signer.DocumentFields(row), token, configuration);
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
