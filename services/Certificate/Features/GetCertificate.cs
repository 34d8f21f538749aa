using Dapper;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using CertificateMessage = Permits.Contracts.Certificate.V1.Certificate;
using GetCertificateRequest = Permits.Contracts.Certificate.V1.GetCertificateRequest;

namespace Permits.Certificate.Features;

public sealed class GetCertificate(ServiceDatabase<CertificateModule> database)
{
    private const string Columns = """
        id AS Id, application_id AS ApplicationId, licence_number AS LicenceNumber, county_code AS CountyCode,
        holder_name AS HolderName, responsible_person AS ResponsiblePerson, premises_address AS PremisesAddress,
        scope AS Scope, valid_from AS ValidFrom, valid_to AS ValidTo, issuing_authority AS IssuingAuthority,
        issued_at AS IssuedAt, status AS Status
        """;

    private const string ByNumberSql = $"SELECT {Columns} FROM certificates WHERE licence_number = @LicenceNumber";

    private const string ByApplicationSql = $"SELECT {Columns} FROM certificates WHERE application_id = @ApplicationId";

    public async Task<CertificateMessage> HandleAsync(GetCertificateRequest request, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        CertificateRow? row;
        if (request.LicenceNumber.Length > 0)
        {
            var number = request.LicenceNumber.Trim();
            if (number.Length != 12 || !number.All(char.IsAsciiDigit))
            {
                new FieldErrors().Add("licence_number", "许可证号应为 12 位数字").ThrowIfAny();
            }

            row = await connection.QuerySingleOrDefaultAsync<CertificateRow>(ByNumberSql, new { LicenceNumber = number });
        }
        else if (Guid.TryParse(request.ApplicationId, out var applicationId))
        {
            row = await connection.QuerySingleOrDefaultAsync<CertificateRow>(ByApplicationSql, new { ApplicationId = applicationId });
        }
        else
        {
            new FieldErrors().Add("licence_number", "请提供许可证号或申请 ID").ThrowIfAny();
            return null!;
        }

        if (row is null)
        {
            throw new RpcException(new Status(StatusCode.NotFound, "未找到该许可证"));
        }

        return new CertificateMessage
        {
            CertificateId = row.Id.ToString(),
            ApplicationId = row.ApplicationId.ToString(),
            LicenceNumber = row.LicenceNumber,
            CountyCode = row.CountyCode,
            HolderName = row.HolderName,
            ResponsiblePerson = row.ResponsiblePerson,
            PremisesAddress = row.PremisesAddress,
            Scope = row.Scope,
            ValidFrom = row.ValidFrom.ToString("yyyy-MM-dd"),
            ValidTo = row.ValidTo.ToString("yyyy-MM-dd"),
            IssuingAuthority = row.IssuingAuthority,
            IssuedAt = Timestamp.FromDateTimeOffset(row.IssuedAt),
            Status = row.Status,
        };
    }

    private sealed class CertificateRow
    {
        public Guid Id { get; init; }
        public Guid ApplicationId { get; init; }
        public string LicenceNumber { get; init; } = "";
        public string CountyCode { get; init; } = "";
        public string HolderName { get; init; } = "";
        public string ResponsiblePerson { get; init; } = "";
        public string PremisesAddress { get; init; } = "";
        public string Scope { get; init; } = "";
        public DateOnly ValidFrom { get; init; }
        public DateOnly ValidTo { get; init; }
        public string IssuingAuthority { get; init; } = "";
        public DateTimeOffset IssuedAt { get; init; }
        public string Status { get; init; } = "";
    }
}
