using Grpc.Core;
using Permits.Contracts.Review.V1;
using Permits.Review.Domain;
using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Review.Features;

/// <summary>
/// What every officer action shares: a valid request, a case in the expected stage, and an optimistic version check,
/// so two officers acting on one case at once cannot both succeed.
/// </summary>
public static class CaseAction
{
    private const string LoadSql = $"SELECT {CaseRow.Columns} FROM review_cases WHERE id = @Id";

    public static (Guid CaseId, string OfficerId) Validate(CaseActionRequest request)
    {
        var errors = new FieldErrors();
        if (!Guid.TryParse(request.CaseId, out var caseId))
        {
            errors.Add("case_id", "请提供有效的案件 ID");
        }

        var officer = request.OfficerId.Trim();
        if (officer.Length is 0 or > 64)
        {
            errors.Add("officer_id", "请提供经办人工号");
        }

        if (request.Note.Length > 1000)
        {
            errors.Add("note", "意见不能超过 1000 个字");
        }

        errors.ThrowIfAny();
        return (caseId, officer);
    }

    public static async Task<CaseRow> LoadInStageAsync(DbSession session, Guid caseId, string expectedStage, string action)
    {
        var row = await session.QuerySingleOrDefaultAsync<CaseRow>(LoadSql, new { Id = caseId })
            ?? throw new RpcException(new Status(StatusCode.NotFound, "未找到该案件"));
        if (row.Stage != expectedStage)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition,
                $"案件当前环节为“{CaseStage.Label(row.Stage)}”，不能{action}"));
        }

        return row;
    }

    /// <summary>The case as this transaction left it: what the officer's action answers with.</summary>
    public static async Task<CaseRow> ReloadAsync(DbSession session, Guid caseId) =>
        await session.QuerySingleOrDefaultAsync<CaseRow>(LoadSql, new { Id = caseId })
        ?? throw new InvalidOperationException($"Case {caseId} vanished inside its own transaction.");

    /// <summary>Fails with ABORTED when someone else changed the case since it was read.</summary>
    public static void EnsureUpdated(int rows)
    {
        if (rows != 1)
        {
            throw new RpcException(new Status(StatusCode.Aborted, "案件已被他人处理，请刷新后重试"));
        }
    }
}
