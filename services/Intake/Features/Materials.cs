using System.Security.Cryptography;
using Dapper;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Permits.Contracts.Intake.V1;
using Permits.Intake.Domain;
using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Intake.Features;

/// <summary>
/// 申请材料: files attached to the applicant's own draft (moved to the application when it is submitted) or to their
/// application while corrections are open. The type is read from the content's first bytes, never from the name;
/// the SHA-256 of the content is stored with it. The owner can download them; the reviewing officers read a submitted
/// application's files through <see cref="CaseMaterials"/>.
/// </summary>
public sealed class Materials(ServiceDatabase<IntakeModule> database, TimeProvider time, IConfiguration configuration)
{
    /// <summary>Below gRPC's 4 MB message limit; <c>Intake:Materials:MaxBytes</c> may lower it.</summary>
    public int MaxBytes => Math.Min(configuration.GetValue("Intake:Materials:MaxBytes", 3 * 1024 * 1024), 3 * 1024 * 1024);

    /// <summary>At most this many files per draft or application.</summary>
    public const int MaxFiles = 20;

    private const string DraftOwnedSql = "SELECT COUNT(*) FROM application_drafts WHERE id = @Id AND owner_subject = @Owner";

    private const string ApplicationStatusSql = "SELECT status FROM applications WHERE id = @Id AND owner_subject = @Owner";

    private const string CountSql = """
        SELECT COUNT(*) FROM application_materials
        WHERE (draft_id = @DraftId OR application_id = @ApplicationId) AND kind <> 'SitePhoto'
        """;

    /// <summary>Site photos of an application: the inspectors' own limit, apart from the applicant's files.</summary>
    private const string SitePhotoCountSql = """
        SELECT COUNT(*) FROM application_materials WHERE application_id = @ApplicationId AND kind = 'SitePhoto'
        """;

    private const string InsertSql = """
        INSERT INTO application_materials (id, owner_subject, draft_id, application_id, kind, file_name, content_type,
            size_bytes, sha256, content, uploaded_at)
        VALUES (@Id, @Owner, @DraftId, @ApplicationId, @Kind, @FileName, @ContentType, @SizeBytes, @Sha256, @Content, @UploadedAt)
        """;

    private const string Columns = """
        id AS Id, kind AS Kind, file_name AS FileName, content_type AS ContentType, size_bytes AS SizeBytes,
        sha256 AS Sha256, uploaded_at AS UploadedAt
        """;

    /// <summary>The same file (kind and content hash) already attached: an upload sent twice is stored once.</summary>
    private const string SameFileSql = "SELECT " + Columns + """
         FROM application_materials
        WHERE (draft_id = @DraftId OR application_id = @ApplicationId) AND kind = @Kind AND sha256 = @Sha256
        """;

    private const string ByDraftSql = "SELECT " + Columns + " FROM application_materials WHERE draft_id = @Id ORDER BY uploaded_at";

    /// <summary>An application's files, the inspectors' site photos included (what the reviewing officers read).</summary>
    internal const string ByApplicationSql = "SELECT " + Columns + " FROM application_materials WHERE application_id = @Id ORDER BY uploaded_at";

    /// <summary>What the applicant filed: the inspectors' site photos (实地核查照片) are the administration's record, not theirs.</summary>
    internal const string FiledByApplicantSql = "SELECT " + Columns + """
         FROM application_materials WHERE application_id = @Id AND kind <> 'SitePhoto' ORDER BY uploaded_at
        """;

    private const string ContentSql = """
        SELECT id AS Id, kind AS Kind, file_name AS FileName, content_type AS ContentType, size_bytes AS SizeBytes,
               sha256 AS Sha256, uploaded_at AS UploadedAt, content AS Content
        FROM application_materials WHERE id = @Id AND owner_subject = @Owner AND kind <> 'SitePhoto'
        """;

    /// <summary>Moves a draft's materials to the application it became (same transaction as the submission).</summary>
    public const string MoveToApplicationSql = """
        UPDATE application_materials SET application_id = @ApplicationId, draft_id = NULL
        WHERE draft_id = @DraftId AND owner_subject = @Owner
        """;

    public async Task<Material> UploadAsync(UploadMaterialRequest request, string owner, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (request.Kind is MaterialKind.Unspecified or MaterialKind.SitePhoto || !System.Enum.IsDefined(request.Kind))
        {
            errors.Add("kind", "请选择材料类别：身份证、营业执照、场所证明或场所照片");
        }

        var material = Check(request.Kind, request.FileName, request.Content, errors);
        Guid? draftId = Guid.TryParse(request.DraftId, out var d) ? d : null;
        Guid? applicationId = Guid.TryParse(request.ApplicationId, out var a) ? a : null;
        if ((draftId is null) == (applicationId is null))
        {
            errors.Add("draft_id", "请先保存草稿再上传材料");
        }

        errors.ThrowIfAny();

        await using var session = await database.BeginAsync(cancellationToken);
        if (draftId is not null)
        {
            if (await session.ExecuteScalarAsync<long>(DraftOwnedSql, new { Id = draftId, Owner = owner }) == 0)
            {
                throw new RpcException(new Status(StatusCode.NotFound, "未找到该草稿"));
            }
        }
        else
        {
            var status = await session.QuerySingleOrDefaultAsync<string>(ApplicationStatusSql, new { Id = applicationId, Owner = owner })
                         ?? throw new RpcException(new Status(StatusCode.NotFound, "未找到该申请"));
            if (status != ApplicationStatus.CorrectionRequested)
            {
                throw new RpcException(new Status(StatusCode.FailedPrecondition, "申请提交后只能在补正时补充材料"));
            }
        }

        if (await SameFileAsync(session, material, draftId, applicationId) is { } same)
        {
            return same;
        }

        if (await session.ExecuteScalarAsync<long>(CountSql, new { DraftId = draftId, ApplicationId = applicationId }) >= MaxFiles)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"每份申请最多上传 {MaxFiles} 个文件"));
        }

        await InsertAsync(session, material, owner, draftId, applicationId, request.Content);
        await session.CommitAsync(cancellationToken);
        return ToMaterial(material);
    }

    /// <summary>
    /// The checks every stored file passes, whoever sends it: the name cleaned, the size within <see cref="MaxBytes"/>,
    /// the type read from the content (photos JPEG or PNG only) and its structure free of anything riding along.
    /// Problems go to <paramref name="errors"/> under <c>content</c>; the row is what would be stored if there are none.
    /// </summary>
    internal MaterialRow Check(MaterialKind kind, string name, ByteString file, FieldErrors errors)
    {
        var fileName = new string(Path.GetFileName(name.Replace('\\', '/')).Where(c => !char.IsControl(c)).ToArray()).Trim();
        if (fileName.Length > 200)
        {
            fileName = fileName[^200..];
        }

        var content = file.Span;
        var photo = kind is MaterialKind.PremisesPhoto or MaterialKind.SitePhoto;
        string? contentType = null;
        if (content.Length == 0)
        {
            errors.Add("content", "请选择要上传的文件");
        }
        else if (content.Length > MaxBytes)
        {
            errors.Add("content", $"文件太大：每个文件不超过 {MaxBytes / 1024 / 1024} MB，请压缩或拍得小一些");
        }
        else
        {
            contentType = Sniff(content);
            if (contentType is null || (photo && contentType == "application/pdf"))
            {
                errors.Add("content", photo
                    ? kind == MaterialKind.SitePhoto ? "现场照片须为 JPG 或 PNG 图片" : "场所照片须为 JPG 或 PNG 图片"
                    : "只能上传 JPG、PNG 图片或 PDF 文件（按文件内容判断，改扩展名无效）");
            }
            else if (MaterialStructure.Problem(file.ToByteArray(), contentType) is { } problem)
            {
                errors.Add("content", problem);
            }
        }

        var row = new MaterialRow
        {
            Id = Guid.NewGuid(),
            Kind = kind.ToString(),
            FileName = fileName.Length == 0 ? "未命名" : fileName,
            ContentType = contentType ?? "",
            SizeBytes = content.Length,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(content)),
            UploadedAt = time.GetUtcNow(),
        };
        return row;
    }

    /// <summary>The same file (kind and content) already on the draft or application, so one sent twice is stored once.</summary>
    internal static async Task<Material?> SameFileAsync(DbSession session, MaterialRow material, Guid? draftId, Guid? applicationId) =>
        (await session.QueryAsync<MaterialRow>(
            SameFileSql, new { DraftId = draftId, ApplicationId = applicationId, material.Kind, material.Sha256 })).FirstOrDefault() is { } same
            ? ToMaterial(same)
            : null;

    /// <summary>Stores a checked file (<see cref="Check"/>) on a draft or an application, in the caller's transaction.</summary>
    internal static Task InsertAsync(DbSession session, MaterialRow material, string owner, Guid? draftId, Guid? applicationId, ByteString content) =>
        session.ExecuteAsync(InsertSql, new
        {
            material.Id,
            Owner = owner,
            DraftId = draftId,
            ApplicationId = applicationId,
            material.Kind,
            material.FileName,
            material.ContentType,
            material.SizeBytes,
            material.Sha256,
            Content = content.ToByteArray(),
            material.UploadedAt,
        });

    public async Task<MaterialContent> DownloadAsync(DownloadMaterialRequest request, string owner, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(request.MaterialId, out var id))
        {
            throw new RpcException(new Status(StatusCode.NotFound, "未找到该材料"));
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<MaterialRow>(ContentSql, new { Id = id, Owner = owner })
                  ?? throw new RpcException(new Status(StatusCode.NotFound, "未找到该材料"));
        return new MaterialContent { Material = ToMaterial(row), Content = ByteString.CopyFrom(row.Content) };
    }

    public static async Task<IReadOnlyList<Material>> OfDraftAsync(System.Data.Common.DbConnection connection, Guid draftId) =>
        (await connection.QueryAsync<MaterialRow>(ByDraftSql, new { Id = draftId })).Select(ToMaterial).ToList();

    /// <summary>An application's files: with the inspectors' site photos for the reviewing officers, without for the applicant.</summary>
    public static async Task<IReadOnlyList<Material>> OfApplicationAsync(
        System.Data.Common.DbConnection connection, Guid applicationId, bool withSitePhotos) =>
        (await connection.QueryAsync<MaterialRow>(withSitePhotos ? ByApplicationSql : FiledByApplicantSql, new { Id = applicationId }))
        .Select(ToMaterial).ToList();

    /// <summary>The next result of a batch that ran <see cref="ByApplicationSql"/> or <see cref="FiledByApplicantSql"/>.</summary>
    internal static async Task<IEnumerable<Material>> ReadAsync(SqlMapper.GridReader grid) =>
        (await grid.ReadAsync<MaterialRow>()).Select(ToMaterial);

    /// <summary>How many site photos the application carries already (at most <see cref="MaxFiles"/>).</summary>
    internal static Task<long> SitePhotoCountAsync(DbSession session, Guid applicationId) =>
        session.ExecuteScalarAsync<long>(SitePhotoCountSql, new { ApplicationId = applicationId });

    /// <summary>JPEG, PNG or PDF by their signatures; anything else (an .exe renamed .jpg, HTML, SVG) is refused.</summary>
    public static string? Sniff(ReadOnlySpan<byte> content) => content switch
    {
        [0xFF, 0xD8, 0xFF, ..] => "image/jpeg",
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, ..] => "image/png",
        [0x25, 0x50, 0x44, 0x46, 0x2D, ..] => "application/pdf",
        _ => null,
    };

    internal static Material ToMaterial(MaterialRow row) => new()
    {
        MaterialId = row.Id.ToString(),
        Kind = System.Enum.TryParse<MaterialKind>(row.Kind, out var kind) ? kind : MaterialKind.Unspecified,
        FileName = row.FileName,
        ContentType = row.ContentType,
        SizeBytes = row.SizeBytes,
        Sha256 = row.Sha256,
        UploadedAt = Timestamp.FromDateTimeOffset(row.UploadedAt),
    };

    /// <summary>A stored material; <see cref="Content"/> only where the query selects it.</summary>
    internal class MaterialRow
    {
        public Guid Id { get; init; }
        public string Kind { get; init; } = "";
        public string FileName { get; init; } = "";
        public string ContentType { get; init; } = "";
        public long SizeBytes { get; init; }
        public string Sha256 { get; init; } = "";
        public DateTimeOffset UploadedAt { get; init; }
        public byte[] Content { get; init; } = [];
    }
}
