using Dapper;
using Grpc.Core;
using Permits.Contracts.Review.V1;
using Permits.Review.Domain;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Steps;

namespace Permits.Review.Features;

/// <summary>
/// A county's work queue — the open cases at the steps asked for (by default the caller's roles' steps), searchable,
/// nearest legal deadline first with paused clocks last, a page at a time — and single cases.
/// </summary>
public sealed class CaseQueries(ServiceDatabase<ReviewModule> database, CountyDirectory counties, CaseAction action)
{
    /// <summary>What <see cref="ListQueueRequest.Step"/> says for every open case.</summary>
    public const string AllSteps = "all";

    // Lists travel as fixed parameters (padded by repeating the last): Dapper expands lists on SQLite and SQL Server
    // but passes them as arrays to PostgreSQL, where IN needs a list. The search is a LIKE pattern with its wildcards
    // escaped, compared in lower case (PostgreSQL's LIKE is case-sensitive).
    private const string Filter = """
        WHERE county_code = @CountyCode AND stage IN (@Stage0, @Stage1, @Stage2)
          AND (@AnyStep = 1 OR step IN (@Step0, @Step1, @Step2, @Step3, @Step4)
               OR (@Extension = 1 AND stage = 'UnderReview' AND extension_requested_at IS NOT NULL AND extension_document IS NULL))
          AND (@RequestType = '' OR request_type = @RequestType)
          AND (@Search = '' OR LOWER(application_number) LIKE @Pattern ESCAPE '\' OR LOWER(business_name) LIKE @Pattern ESCAPE '\'
               OR LOWER(licence_number) LIKE @Pattern ESCAPE '\')
        """;

    private const string Order = "ORDER BY clock_paused, due_by, received_at, id";

    private const string QueueSqlLimit = $"""
        SELECT {CaseRow.Columns} FROM review_cases
        {Filter}
        {Order} LIMIT @PageSize OFFSET @Offset
        """;

    private const string QueueSqlSqlServer = $"""
        SELECT {CaseRow.Columns} FROM review_cases
        {Filter}
        {Order} OFFSET @Offset ROWS FETCH NEXT @PageSize ROWS ONLY
        """;

    private const string CountSql = $"SELECT COUNT(*) FROM review_cases {Filter}";

    private const string StageCountsSql = """
        SELECT stage AS Code, COUNT(*) AS Count FROM review_cases
        WHERE county_code = @CountyCode AND stage IN (@Stage0, @Stage1, @Stage2)
        GROUP BY stage
        """;

    private const string StepCountsSql = """
        SELECT step AS Code, COUNT(*) AS Count FROM review_cases
        WHERE county_code = @CountyCode AND stage IN (@Stage0, @Stage1, @Stage2) AND step IS NOT NULL
        GROUP BY step
        """;

    private const string ExtensionCountSql = """
        SELECT COUNT(*) FROM review_cases
        WHERE county_code = @CountyCode AND stage = 'UnderReview' AND extension_requested_at IS NOT NULL AND extension_document IS NULL
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

        var steps = StepsAsked(request, officer, errors);
        if (request.RequestType.Length > 20)
        {
            errors.Add("request_type", "未知的申请类型");
        }

        var search = request.Search.Trim();
        if (search.Length > 50)
        {
            errors.Add("search", "搜索内容不能超过 50 个字");
        }

        if (request.PageSize is < 0 or > 500)
        {
            errors.Add("page_size", "每页条数须在 1–500 之间");
        }

        if (request.Page is < 0 or > 100_000)
        {
            errors.Add("page", "页码无效");
        }

        errors.ThrowIfAny();
        await action.EnsureAllowedAsync(officer, ReviewSteps.ViewQueue, "", county.Code);
        var pageSize = request.PageSize == 0 ? 50 : request.PageSize;
        var stored = steps?.Where(s => s != CaseStep.Extension).DefaultIfEmpty("-").ToArray() ?? ["-"];
        var parameters = new
        {
            CountyCode = county.Code,
            Stage0 = stages[0],
            Stage1 = stages[Math.Min(1, stages.Length - 1)],
            Stage2 = stages[Math.Min(2, stages.Length - 1)],
            AnyStep = steps is null ? 1 : 0,
            Step0 = stored[0],
            Step1 = stored[Math.Min(1, stored.Length - 1)],
            Step2 = stored[Math.Min(2, stored.Length - 1)],
            Step3 = stored[Math.Min(3, stored.Length - 1)],
            Step4 = stored[Math.Min(4, stored.Length - 1)],
            Extension = steps?.Contains(CaseStep.Extension) == true ? 1 : 0,
            RequestType = request.RequestType.Trim(),
            Search = search,
            Pattern = "%" + EscapeLike(search.ToLowerInvariant()) + "%",
            PageSize = pageSize,
            Offset = (Math.Max(request.Page, 1) - 1) * pageSize,
        };
        await using var connection = await database.OpenAsync(cancellationToken);
        // Only SQL Server lacks LIMIT.
        var sql = database.Dialect == SqlDialect.SqlServer ? QueueSqlSqlServer : QueueSqlLimit;
        var rows = await connection.QueryAsync<CaseRow>(sql, parameters);
        var response = new ListQueueResponse { Total = await connection.ExecuteScalarAsync<int>(CountSql, parameters) };
        var view = action.View;
        response.Cases.AddRange(rows.Select(row => view.ToMessage(row)));
        response.Steps.AddRange(steps ?? CaseStep.All);
        var open = new { CountyCode = county.Code, Stage0 = CaseStage.Open[0], Stage1 = CaseStage.Open[1], Stage2 = CaseStage.Open[2] };
        foreach (var count in await connection.QueryAsync<KeyCount>(StageCountsSql, open))
        {
            response.StageCounts[count.Code] = (int)count.Count;
        }

        await AddStepCountsAsync(connection, open, response.StepCounts);
        return response;
    }

    /// <summary>Open cases of a county per work step (every step present, zero included).</summary>
    public static async Task AddStepCountsAsync(System.Data.Common.DbConnection connection, object open, IDictionary<string, int> counts)
    {
        foreach (var step in CaseStep.All)
        {
            counts[step] = 0;
        }

        foreach (var count in await connection.QueryAsync<KeyCount>(StepCountsSql, open))
        {
            counts[count.Code] = (int)count.Count;
        }

        counts[CaseStep.Extension] = await connection.ExecuteScalarAsync<int>(ExtensionCountSql, open);
    }

    /// <summary>A case by id or application id, for an officer of its county (a refusal is audited).</summary>
    public async Task<Case> GetAsync(GetCaseRequest request, Officer officer, CancellationToken cancellationToken) =>
        action.View.ToMessage(await LoadAsync(request, officer, cancellationToken));

    /// <summary>The case row by id or application id, once the officer may view it (NOT_FOUND, PERMISSION_DENIED audited).</summary>
    public async Task<CaseRow> LoadAsync(GetCaseRequest request, Officer officer, CancellationToken cancellationToken)
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
        return row;
    }

    /// <summary>
    /// The steps asked for: the named ones, every one for "all" (null: no step filter), or — when neither a step nor a
    /// stage is named — the steps of the caller's roles. A stage alone (the older callers) filters by stage only.
    /// </summary>
    private static IReadOnlyList<string>? StepsAsked(ListQueueRequest request, Officer officer, FieldErrors errors)
    {
        var text = request.Step.Trim();
        if (text.Equals(AllSteps, StringComparison.OrdinalIgnoreCase) || (text.Length == 0 && request.Stage.Length > 0))
        {
            return null;
        }

        if (text.Length == 0)
        {
            return CaseStep.ForRoles(officer.Roles);
        }

        var asked = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var step in asked.Where(s => !CaseStep.IsKnown(s)))
        {
            errors.Add("step", $"未知的办理环节：{step}");
        }

        return CaseStep.All.Where(asked.Contains).ToList();
    }

    private static string EscapeLike(string text) =>
        text.Replace(@"\", @"\\", StringComparison.Ordinal)
            .Replace("%", @"\%", StringComparison.Ordinal)
            .Replace("_", @"\_", StringComparison.Ordinal);

    private sealed class KeyCount
    {
        public string Code { get; init; } = "";
        public long Count { get; init; }
    }
}
