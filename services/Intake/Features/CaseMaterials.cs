using Dapper;
using Google.Protobuf;
using Grpc.Core;
using Permits.Contracts.Intake.V1;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Security;
using Permits.Shared.Steps;

namespace Permits.Intake.Features;

/// <summary>
/// A submitted application's materials as the reviewing officers of its county read them (drafts are never shown);
/// every file read is logged with the officer's id.
/// </summary>
public sealed partial class CaseMaterials(
    ServiceDatabase<IntakeModule> database, Materials materials, StepRunner<IntakeModule> steps, ILogger<CaseMaterials> logger)
{
    /// <summary>实地核查照片: an inspector of the application's county attaches what they photographed on site.</summary>
    public static readonly OfficerStep UploadSitePhoto = new("UploadSitePhoto", "上传现场照片", [PermitsRoles.Inspector]);

    private const string CountySql = "SELECT county_code FROM applications WHERE id = @Id";

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
        reply.Materials.AddRange(await Materials.OfApplicationAsync(connection, id, withSitePhotos: true));
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

    /// <summary>
    /// UploadInspectionPhoto: the file passes the same checks as an applicant's photo (<see cref="Materials.Check"/>),
    /// permission first (another county's inspector or another role learns nothing of what would be accepted); stored on
    /// the application as <see cref="MaterialKind.SitePhoto"/> with the inspector as its owner, audited. The same photo
    /// sent again (the form re-posted after a field error) is the one stored.
    /// </summary>
    public async Task<Material> UploadSitePhotoAsync(UploadInspectionPhotoRequest request, Officer officer, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(request.ApplicationId, out var id))
        {
            throw new RpcException(new Status(StatusCode.NotFound, "未找到该申请"));
        }

        var target = StepTarget<ApplicationRow>.Sql(
            id.ToString(), "该申请", "未找到该申请", ApplicationSql, CountySql, new { Id = id }, row => row.CountyCode);
        var errors = new FieldErrors();
        var material = materials.Check(MaterialKind.SitePhoto, request.FileName, request.Content, errors);
        await steps.ThrowIfInvalidAsync(officer, UploadSitePhoto, target, errors, cancellationToken);
        return await steps.RunAsync(officer, UploadSitePhoto, target, async (session, application) =>
        {
            if (await Materials.SameFileAsync(session, material, null, application.Id) is { } same)
            {
                return new StepResult<Material>(same, $"申请 {application.ApplicationNumber} 的现场照片 {same.FileName} 已上传过");
            }

            StepRunner.Require(await Materials.SitePhotoCountAsync(session, application.Id) < Materials.MaxFiles,
                $"每件申请最多上传 {Materials.MaxFiles} 张现场照片");
            await Materials.InsertAsync(session, material, officer.Id, null, application.Id, request.Content);
            return new StepResult<Material>(
                Materials.ToMaterial(material), $"为申请 {application.ApplicationNumber} 上传现场照片 {material.FileName}");
        }, cancellationToken);
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
