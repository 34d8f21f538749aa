using Dapper;
using Google.Protobuf;
using Grpc.Core;
using Permits.Certificate.Security;
using Permits.Contracts.Certificate.V1;
using Permits.Contracts.Documents;
using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Certificate.Features.Documents;

/// <summary>
/// An application's formal documents and their PDFs, for the applicant who owns it (Intake answers, see
/// <see cref="LicenceAccess"/>) or an officer of its county. The owner's first opening of a decision they agreed to
/// receive electronically (ApplicationSubmitted.ElectronicServiceConsent) is its 电子送达 (<see cref="ServeDocument"/>);
/// an officer's opening serves nothing.
/// </summary>
public sealed class ReadDocuments(
    ServiceDatabase<CertificateModule> database, LicenceAccess access, ServeDocument serve, TimeProvider time)
{
    private const string ApplicationCountySql = "SELECT county_code FROM licence_requests WHERE application_id = @ApplicationId";

    public async Task<ListDocumentsResponse> ListAsync(ListDocumentsRequest request, LicenceReader reader, CancellationToken cancellationToken)
    {
        reader.RequireSignedIn();
        if (!Guid.TryParse(request.ApplicationId, out var applicationId))
        {
            new FieldErrors().Add("application_id", "申请 ID 格式不正确").ThrowIfAny();
        }

        List<DocumentRow> rows;
        string? county;
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            rows = (await connection.QueryAsync<DocumentRow>(DocumentRecords.ByApplicationSql, new { ApplicationId = applicationId })).ToList();
            county = rows.FirstOrDefault()?.CountyCode
                     ?? await connection.QuerySingleOrDefaultAsync<string>(ApplicationCountySql, new { ApplicationId = applicationId });
        }

        await RequireReaderAsync(reader, applicationId, county, cancellationToken);
        var response = new ListDocumentsResponse();
        response.Documents.AddRange(rows.Select(r => r.ToMessage()));
        return response;
    }

    public async Task<OfficialDocumentFile> GetAsync(GetDocumentRequest request, LicenceReader reader, CancellationToken cancellationToken)
    {
        reader.RequireSignedIn();
        var number = request.DocumentNumber.Trim();
        if (number.Length == 0)
        {
            new FieldErrors().Add("document_number", "请提供文书编号").ThrowIfAny();
        }

        var row = await FindAsync(number, cancellationToken) ?? throw new RpcException(new Status(StatusCode.NotFound, "未找到该文书"));
        var owner = await RequireReaderAsync(reader, row.ApplicationId, row.CountyCode, cancellationToken);
        if (owner && row.Type.IsDecision && !row.Served && await ServeElectronicallyAsync(row, cancellationToken))
        {
            row = (await FindAsync(number, cancellationToken))!;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var pdf = await connection.QuerySingleAsync<byte[]>(DocumentRecords.PdfSql, new { Number = number });
        return new OfficialDocumentFile
        {
            Document = row.ToMessage(),
            Pdf = ByteString.CopyFrom(pdf),
            FileName = $"{row.Type.Title}-{row.Number}.pdf",
            Signature = row.Signature,
            KeyId = row.KeyId,
        };
    }

    /// <summary>电子送达 on the first opening, when the applicant consented at submission; false when nothing changed.</summary>
    private async Task<bool> ServeElectronicallyAsync(DocumentRow row, CancellationToken cancellationToken)
    {
        await using var session = await database.BeginAsync(cancellationToken);
        var applicant = await ApplicantFacts.LoadAsync(session, row.ApplicationId);
        if (!applicant.ElectronicService)
        {
            return false;
        }

        var served = await serve.HandleAsync(
            session, row, ServiceMethod.Electronic, time.GetUtcNow(), $"{row.Addressee}（网上打开文书）", null, "网上办事平台（系统记录）", "网上办事平台");
        await session.CommitAsync(cancellationToken);
        return served;
    }

    private async Task<DocumentRow?> FindAsync(string number, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<DocumentRow>(DocumentRecords.ByNumberSql, new { Number = number });
    }

    /// <summary>True for the owner, false for an officer of the county; anyone else PERMISSION_DENIED.</summary>
    private async Task<bool> RequireReaderAsync(LicenceReader reader, Guid applicationId, string? county, CancellationToken cancellationToken)
    {
        if (county is not null && reader.Identity.ActsIn(county))
        {
            return false;
        }

        if (await access.OwnsApplicationAsync(reader, applicationId, cancellationToken))
        {
            return true;
        }

        throw new RpcException(new Status(StatusCode.PermissionDenied, "只有申请人本人或受理该申请的县级局工作人员可以查看这些文书"));
    }
}
