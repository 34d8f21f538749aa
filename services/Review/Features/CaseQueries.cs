using Dapper;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Permits.Contracts.Review.V1;
using Permits.Review.Domain;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Steps;

namespace Permits.Review.Features;

/// <summary>A county's queue, nearest legal deadline first, and single cases.</summary>
public sealed class CaseQueries(ServiceDatabase<ReviewModule> database, CountyDirectory counties, CaseAction action)
{
    // Stages travel as three fixed parameters (padded by repeating the last): Dapper expands lists on SQLite and
    // SQL Server but passes them as arrays to PostgreSQL, where IN needs a list.
    private const string Filter = """
        WHERE county_code = @CountyCode AND stage IN (@Stage0, @Stage1, @Stage2) AND (@RequestType = '' OR request_type = @RequestType)
        """;

    private const string QueueSqlSqlite = $"""
        SELECT {CaseRow.Columns} FROM review_cases
        {Filter}
        ORDER BY clock_paused, due_by, received_at LIMIT @PageSize
        """;

    private const string QueueSqlSqlServer = $"""
        SELECT TOP (@PageSize) {CaseRow.Columns} FROM review_cases
        {Filter}
        ORDER BY clock_paused, due_by, received_at
        """;

    private const string CountSql = $"SELECT COUNT(*) FROM review_cases {Filter}";

    private const string StageCountsSql = """
        SELECT stage AS Stage, COUNT(*) AS Count FROM review_cases
        WHERE county_code = @CountyCode AND stage IN (@Stage0, @Stage1, @Stage2)
        GROUP BY stage
        """;

    private const string ByIdSql = $"SELECT {CaseRow.Columns} FROM review_cases WHERE id = @Id";

    private const string ByApplicationSql = $"SELECT {CaseRow.Columns} FROM review_cases WHERE application_id = @Id";

    public async Task<ListQueueResponse> ListQueueAsync(ListQueueRequest request, Officer officer, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var countyCode = request.CountyCode.Trim();
        if (countyCode.Length == 0)
        {
            countyCode = officer.CountyCode;
        }

        if (!counties.TryGet(countyCode, out var county))
        {
            errors.Add("county_code", "未知的县级行政区划代码");
        }

        string[] stages = request.Stage.Length == 0 ? CaseStage.Open : [request.Stage];
        if (request.Stage.Length > 0 && !CaseStage.IsKnown(request.Stage))
        {
            errors.Add("stage", "未知的办理环节");
        }

        if (request.RequestType.Length > 20)
        {
            errors.Add("request_type", "未知的申请类型");
        }

        if (request.PageSize is < 0 or > 500)
        {
            errors.Add("page_size", "每页条数须在 1–500 之间");
        }

        errors.ThrowIfAny();
        await action.EnsureAllowedAsync(officer, ReviewSteps.ViewQueue, "", county.Code);
        var pageSize = request.PageSize == 0 ? 50 : request.PageSize;
        await using var connection = await database.OpenAsync(cancellationToken);
        // Only SQL Server lacks LIMIT.
        var sql = database.Dialect == SqlDialect.SqlServer ? QueueSqlSqlServer : QueueSqlSqlite;
        var parameters = new
        {
            CountyCode = county.Code,
            Stage0 = stages[0],
            Stage1 = stages[Math.Min(1, stages.Length - 1)],
            Stage2 = stages[Math.Min(2, stages.Length - 1)],
            PageSize = pageSize,
            RequestType = request.RequestType.Trim(),
        };
        var rows = await connection.QueryAsync<CaseRow>(sql, parameters);
        var total = await connection.ExecuteScalarAsync<int>(CountSql, parameters);
        var response = new ListQueueResponse { Total = total };
        response.Cases.AddRange(rows.Select(ToMessage));
        foreach (var count in await connection.QueryAsync<StageCount>(StageCountsSql, new { CountyCode = county.Code, Stage0 = CaseStage.Open[0], Stage1 = CaseStage.Open[1], Stage2 = CaseStage.Open[2] }))
        {
            response.StageCounts[count.Stage] = (int)count.Count;
        }

        return response;
    }

    /// <summary>A case by id or application id, for an officer of its county (a refusal is audited).</summary>
    public async Task<Case> GetAsync(GetCaseRequest request, Officer officer, CancellationToken cancellationToken)
    {
        var byCase = request.CaseId.Length > 0;
        var text = byCase ? request.CaseId : request.ApplicationId;
        if (!Guid.TryParse(text, out var id))
        {
            new FieldErrors().Add(byCase ? "case_id" : "application_id", "请提供有效的案件 ID 或申请 ID").ThrowIfAny();
        }

        CaseRow? row;
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            row = await connection.QuerySingleOrDefaultAsync<CaseRow>(byCase ? ByIdSql : ByApplicationSql, new { Id = id });
        }

        if (row is null)
        {
            throw new RpcException(new Status(StatusCode.NotFound, "未找到该案件"));
        }

        await action.EnsureAllowedAsync(officer, ReviewSteps.ViewCase, row.Id.ToString(), row.CountyCode);
        return ToMessage(row);
    }

    public static Case ToMessage(CaseRow row)
    {
        var clock = row.Clock;
        var message = new Case
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
            DueBy = clock.Running ? ChinaTime.Text(row.DueBy) : "",
            DueByProvisional = clock.Running && row.DueProvisional != 0,
            AcceptanceDocumentNumber = row.AcceptanceDocument ?? "",
            DecisionDocumentNumber = row.DecisionDocument ?? "",
            ClockPhase = clock.Phase,
            ClockPaused = clock.Paused,
            ClockRemainingWorkingDays = clock.RemainingWorkingDays ?? 0,
            DecisionPeriodExtended = clock.Extended,
            DeemedAccepted = row.DeemedAccepted != 0,
            CorrectionDocumentNumber = row.CorrectionDocument ?? "",
            ExtensionDocumentNumber = row.ExtensionDocument ?? "",
            ClaimedBy = row.ClaimedBy ?? "",
            InspectionDocumentNumber = row.InspectionDocument ?? "",
            OpinionDocumentNumber = row.OpinionDocument ?? "",
            Recommendation = row.Recommendation ?? "",
            LicenceNumber = row.LicenceNumber ?? "",
            HolderMatch = row.HolderMatch ?? (string.IsNullOrEmpty(row.LicenceNumber) ? "" : "Unchecked"),
        };
        if (row.ClaimExpiresAt is { } expires)
        {
            message.ClaimExpiresAt = Timestamp.FromDateTimeOffset(expires);
        }
        if (!string.IsNullOrEmpty(row.DecisionReasons))
        {
            message.DecisionReasons.AddRange(row.DecisionReasons.Split('\n'));
        }

        return message;
    }

    private sealed class StageCount
    {
        public string Stage { get; init; } = "";
        public long Count { get; init; }
    }
}
