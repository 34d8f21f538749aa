using Dapper;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Permits.Contracts.Review.V1;
using Permits.Review.Domain;
using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Review.Features;

/// <summary>A county's queue, oldest legal deadline first, and single cases.</summary>
public sealed class CaseQueries(ServiceDatabase<ReviewModule> database, CountyDirectory counties)
{
    private const string QueueSqlSqlite = $"""
        SELECT {CaseRow.Columns} FROM review_cases
        WHERE county_code = @CountyCode AND stage IN @Stages
        ORDER BY due_by, received_at LIMIT @PageSize
        """;

    private const string QueueSqlPostgres = QueueSqlSqlite;

    private const string QueueSqlSqlServer = $"""
        SELECT TOP (@PageSize) {CaseRow.Columns} FROM review_cases
        WHERE county_code = @CountyCode AND stage IN @Stages
        ORDER BY due_by, received_at
        """;

    private const string CountSql = "SELECT COUNT(*) FROM review_cases WHERE county_code = @CountyCode AND stage IN @Stages";

    private const string ByIdSql = $"SELECT {CaseRow.Columns} FROM review_cases WHERE id = @Id";

    private const string ByApplicationSql = $"SELECT {CaseRow.Columns} FROM review_cases WHERE application_id = @Id";

    public async Task<ListQueueResponse> ListQueueAsync(ListQueueRequest request, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (!counties.TryGet(request.CountyCode.Trim(), out var county))
        {
            errors.Add("county_code", "未知的县级行政区划代码");
        }

        string[] stages = request.Stage.Length == 0 ? [CaseStage.AwaitingAcceptance, CaseStage.UnderReview] : [request.Stage];
        if (request.Stage.Length > 0 && CaseStage.Label(request.Stage) == request.Stage)
        {
            errors.Add("stage", "未知的办理环节");
        }

        if (request.PageSize is < 0 or > 500)
        {
            errors.Add("page_size", "每页条数须在 1–500 之间");
        }

        errors.ThrowIfAny();
        var pageSize = request.PageSize == 0 ? 50 : request.PageSize;

        await using var connection = await database.OpenAsync(cancellationToken);
        var sql = database.Dialect switch
        {
            SqlDialect.SqlServer => QueueSqlSqlServer,
            SqlDialect.PostgreSql => QueueSqlPostgres,
            _ => QueueSqlSqlite,
        };
        var parameters = new { CountyCode = county.Code, Stages = stages, PageSize = pageSize };
        var rows = await connection.QueryAsync<CaseRow>(sql, parameters);
        var total = await connection.ExecuteScalarAsync<int>(CountSql, parameters);
        var response = new ListQueueResponse { Total = total };
        response.Cases.AddRange(rows.Select(ToMessage));
        return response;
    }

    public async Task<Case> GetAsync(GetCaseRequest request, CancellationToken cancellationToken)
    {
        var byCase = request.CaseId.Length > 0;
        var text = byCase ? request.CaseId : request.ApplicationId;
        if (!Guid.TryParse(text, out var id))
        {
            new FieldErrors().Add(byCase ? "case_id" : "application_id", "请提供有效的案件 ID 或申请 ID").ThrowIfAny();
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<CaseRow>(byCase ? ByIdSql : ByApplicationSql, new { Id = id });
        return row is null ? throw new RpcException(new Status(StatusCode.NotFound, "未找到该案件")) : ToMessage(row);
    }

    public static Case ToMessage(CaseRow row) => new()
    {
        CaseId = row.Id.ToString(),
        ApplicationId = row.ApplicationId.ToString(),
        ApplicationNumber = row.ApplicationNumber,
        CountyCode = row.CountyCode,
        Stage = row.Stage,
        StageLabel = CaseStage.Label(row.Stage),
        BusinessName = row.BusinessName,
        HolderType = row.HolderType,
        RequestType = row.RequestType,
        PremisesAddress = row.PremisesAddress,
        ReceivedAt = Timestamp.FromDateTimeOffset(row.ReceivedAt),
        DueBy = CaseStage.IsOpen(row.Stage) ? row.DueBy.ToString("yyyy-MM-dd") : "",
        DueByProvisional = row.DueProvisional != 0,
        AcceptanceDocumentNumber = row.AcceptanceDocument ?? "",
        DecisionDocumentNumber = row.DecisionDocument ?? "",
    };
}
