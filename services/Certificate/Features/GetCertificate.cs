using Dapper;
using Grpc.Core;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using CertificateMessage = Permits.Contracts.Certificate.V1.Certificate;
using GetCertificateRequest = Permits.Contracts.Certificate.V1.GetCertificateRequest;

namespace Permits.Certificate.Features;

public sealed class GetCertificate(ServiceDatabase<CertificateModule> database)
{
    public async Task<CertificateMessage> HandleAsync(GetCertificateRequest request, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        CertificateRow? row;
        if (request.LicenceNumber.Length > 0)
        {
            var number = CertificateRecords.RequireLicenceNumber(request.LicenceNumber);
            row = await connection.QuerySingleOrDefaultAsync<CertificateRow>(CertificateRecords.ByNumberSql, new { LicenceNumber = number });
        }
        else if (Guid.TryParse(request.ApplicationId, out var applicationId))
        {
            row = await connection.QuerySingleOrDefaultAsync<CertificateRow>(CertificateRecords.ByApplicationSql, new { ApplicationId = applicationId });
        }
        else
        {
            new FieldErrors().Add("licence_number", "请提供许可证号或申请 ID").ThrowIfAny();
            return null!;
        }

        return row?.ToMessage() ?? throw new RpcException(new Status(StatusCode.NotFound, "未找到该许可证"));
    }
}
