using Dapper;
using Google.Protobuf;
using Grpc.Core;
using Permits.Contracts.Intake.V1;
using Permits.Shared.Data;
using Permits.Shared.Steps;

namespace Permits.Intake.Features;

/// <summary>
/// A submitted application's materials as the reviewing officers of its county read them (drafts are never shown);
/// every file read is logged with the officer's id.
/// </summary>
public sealed partial class CaseMaterials(ServiceDatabase<IntakeModule> database, ILogger<CaseMaterials> logger)
{
    private const string ApplicationSql = """
        SELECT id AS Id, application_number AS ApplicationNumber, county_code AS CountyCode
        FROM applications WHERE id = @Id
        """;

    private const string CaseContentSql = """
        SELECT m.id AS Id, m.kind AS Kind, m.file_name AS FileName, m.content_type AS ContentType, m.size_bytes AS SizeBytes,
               m.sha256 AS Sha256, m.uploaded_at AS UploadedAt, m.content AS Content,
               a.application_number AS ApplicationNumber, a.county_code AS CountyCode
        FROM application_materials m JOIN applications a ON a.id = m.application_id
        WHERE m.id = @Id
        """;

    /// <summary>A submitted application's materials, for a reviewing officer of its county (drafts are never shown).</summary>
    public async Task<ListCaseMaterialsResponse> ListForOfficerAsync(
        ListCaseMaterialsRequest request, Officer officer, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(request.ApplicationId, out var id))
        {
            throw new RpcException(new Status(StatusCode.NotFound, "未找到该申请"));
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var application = await connection.QuerySingleOrDefaultAsync<ApplicationRow>(ApplicationSql, new { Id = id })
                          ?? throw new RpcException(new Status(StatusCode.NotFound, "未找到该申请"));
        RequireCounty(officer, application.CountyCode);
        var reply = new ListCaseMaterialsResponse
        {
            ApplicationId = application.Id.ToString(),
            ApplicationNumber = application.ApplicationNumber,
            CountyCode = application.CountyCode,
        };
        reply.Materials.AddRange(await Materials.OfApplicationAsync(connection, id));
        return reply;
    }

    /// <summary>One file of a submitted application, for a reviewing officer of its county.</summary>
    public async Task<MaterialContent> DownloadForOfficerAsync(
        DownloadMaterialRequest request, Officer officer, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(request.MaterialId, out var id))
        {
            throw new RpcException(new Status(StatusCode.NotFound, "未找到该材料"));
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<CaseMaterialRow>(CaseContentSql, new { Id = id })
                  ?? throw new RpcException(new Status(StatusCode.NotFound, "未找到该材料"));
        RequireCounty(officer, row.CountyCode);
        LogOfficerRead(logger, officer.Id, officer.CountyCode, row.Id, row.ApplicationNumber);
        return new MaterialContent { Material = Materials.ToMaterial(row), Content = ByteString.CopyFrom(row.Content) };
    }

    private static void RequireCounty(Officer officer, string countyCode)
    {
        if (!officer.ActsIn(countyCode))
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, "该申请不属于您所在县（市、区），不能查阅其材料"));
        }
    }

    [LoggerMessage(LogLevel.Information, "Officer {OfficerId} of {County} read material {MaterialId} of application {ApplicationNumber}")]
    private static partial void LogOfficerRead(ILogger logger, string officerId, string county, Guid materialId, string applicationNumber);

    private sealed class ApplicationRow
    {
        public Guid Id { get; init; }
        public string ApplicationNumber { get; init; } = "";
        public string CountyCode { get; init; } = "";
    }

    /// <summary>A material with the application it belongs to, for the officer's county check.</summary>
    private sealed class CaseMaterialRow : Materials.MaterialRow
    {
        public string ApplicationNumber { get; init; } = "";
        public string CountyCode { get; init; } = "";
    }
}
