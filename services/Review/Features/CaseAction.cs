using Grpc.Core;
using Permits.Contracts.Review.V1;
using Permits.Review.Domain;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Steps;

namespace Permits.Review.Features;

/// <summary>
/// Review's side of the one step mechanism (<see cref="StepRunner{TService}"/>: load, guard with the refusal audited,
/// audit, commit): a case in an expected stage, not held by another officer's claim, changed under its version so two
/// officers acting at once cannot both succeed. The case as the step left it is the answer.
/// </summary>
public sealed class CaseAction(ServiceDatabase<ReviewModule> database, StepRunner<ReviewModule> steps, CaseView view, TimeProvider time)
{
    public const string Noun = "该案件";

    private const string LoadSql = $"SELECT {CaseRow.Columns} FROM review_cases WHERE id = @Id";

    private const string CountySql = "SELECT county_code FROM review_cases WHERE id = @Id";

    private const string StepSql = "UPDATE review_cases SET step = @Step WHERE id = @Id";

    /// <summary>A document's number onto the case (its kind's column; the others keep theirs), with the work step.</summary>
    private const string NumberSet = """
        UPDATE review_cases
        SET acceptance_document = COALESCE(@Acceptance, acceptance_document),
            decision_document = COALESCE(@Decision, decision_document),
            correction_document = COALESCE(@Correction, correction_document),
            extension_document = COALESCE(@Extension, extension_document),
            inspection_document = COALESCE(@Inspection, inspection_document),
            opinion_document = COALESCE(@Opinion, opinion_document),
            step = @Step,
            claimed_by = CASE WHEN @EndClaim = 1 THEN NULL ELSE claimed_by END,
            claimed_by_name = CASE WHEN @EndClaim = 1 THEN NULL ELSE claimed_by_name END,
            claim_expires_at = CASE WHEN @EndClaim = 1 THEN NULL ELSE claim_expires_at END
        WHERE id = @Id
        """;

    /// <summary>PostgreSQL and SQLite (3.35+): the update answers the case as it leaves it.</summary>
    private const string NumberSqlReturning = $"""
        {NumberSet}
        RETURNING {CaseRow.Columns}
        """;

    /// <summary>SQL Server: the same in one batch, the case read after the update.</summary>
    private const string NumberSqlSqlServer = $"""
        {NumberSet};
        SELECT {CaseRow.Columns} FROM review_cases WHERE id = @Id;
        """;

    /// <summary>
    /// What follows a step's UPDATE of the case on PostgreSQL and SQLite (3.35+) so that it answers the case as it
    /// leaves it, or nothing when it changed nothing (<see cref="UpdateAsync"/>).
    /// </summary>
    public const string ReturningCase = $"RETURNING {CaseRow.Columns}";

    /// <summary>
    /// SQL Server, before a step's UPDATE of the case (<c>{SqlServerBeforeUpdate}{update}{SqlServerAfterUpdate}</c>):
    /// the same in one batch, the case read after the update and only if the update changed it.
    /// </summary>
    public const string SqlServerBeforeUpdate = "DECLARE @updated INT;\n";

    /// <summary>SQL Server, after a step's UPDATE of the case (see <see cref="SqlServerBeforeUpdate"/>).</summary>
    public const string SqlServerAfterUpdate = $"""
        ;
        SET @updated = @@ROWCOUNT;
        SELECT {CaseRow.Columns} FROM review_cases WHERE id = @Id AND @updated = 1;
        """;

    public CaseView View => view;

    /// <summary>The case as a step's target: audited under its id.</summary>
    public static StepTarget<CaseRow> Target(Guid caseId) =>
        StepTarget<CaseRow>.Sql(caseId.ToString(), Noun, "未找到该案件", LoadSql, CountySql, new { Id = caseId }, row => row.CountyCode);

    /// <summary>
    /// Whether the officer may take <paramref name="step"/> on the case at all, without auditing: a check that asks
    /// another service runs only then (<see cref="RunAsync"/> decides again, and audits a refusal).
    /// </summary>
    public Task<bool> MayAsync(Officer officer, Guid caseId, OfficerStep step, CancellationToken cancellationToken) =>
        steps.MayAsync(officer, step, Target(caseId), cancellationToken);

    public static Guid Validate(CaseActionRequest? request, FieldErrors errors, string prefix = "")
    {
        request ??= new CaseActionRequest();
        if (!Guid.TryParse(request.CaseId, out var caseId))
        {
            errors.Add(prefix + "case_id", "请提供有效的案件 ID");
        }

        if (request.Note.Length > 1000)
        {
            errors.Add(prefix + "note", "意见不能超过 1000 个字");
        }

        return caseId;
    }

    /// <summary>
    /// For a step that needs the officer's reasons in <c>note</c> (延期 asked, granted or declined): the case id and the
    /// trimmed reason, a blank one refused on <c>note</c> with <paramref name="missing"/>.
    /// </summary>
    public static (Guid CaseId, string Reason) ValidateReasoned(CaseActionRequest request, FieldErrors errors, string missing)
    {
        var caseId = Validate(request, errors);
        var reason = request.Note.Trim();
        if (reason.Length == 0)
        {
            errors.Add("note", missing);
        }

        return (caseId, reason);
    }

    /// <summary>
    /// Permission before validation: field errors about a case the officer may not act on are refused (and audited) as
    /// PERMISSION_DENIED, so another county's officer cannot probe what a case would accept.
    /// </summary>
    public Task ThrowIfInvalidAsync(Officer officer, Guid caseId, OfficerStep step, FieldErrors errors, CancellationToken cancellationToken) =>
        steps.ThrowIfInvalidAsync(officer, step, caseId == Guid.Empty ? null : Target(caseId), errors, cancellationToken);

    /// <summary>
    /// For what only reads (a case, the queue, the layout check): the same guard, a refusal audited as thoroughly as a
    /// step's, nothing written when allowed.
    /// </summary>
    /// <param name="subjectId">The case id, or empty for the queue.</param>
    public async Task EnsureAllowedAsync(Officer officer, OfficerStep step, string subjectId, string countyCode)
    {
        var verdict = OfficerGuard.Decide(officer, step, countyCode, Noun);
        if (!verdict.Allowed)
        {
            await steps.Audit.RefusedAsync(officer, step, subjectId, countyCode, verdict.Reason);
            throw new RpcException(new Status(StatusCode.PermissionDenied, verdict.Reason));
        }
    }

    /// <summary>The same for a case by id, read outside a transaction: NOT_FOUND without it; its county.</summary>
    public async Task<string> EnsureAllowedAsync(Officer officer, OfficerStep step, Guid caseId, CancellationToken cancellationToken)
    {
        string? county;
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            county = await Target(caseId).CountyAsync(connection);
        }

        if (county is null)
        {
            throw new RpcException(new Status(StatusCode.NotFound, "未找到该案件"));
        }

        await EnsureAllowedAsync(officer, step, caseId.ToString(), county);
        return county;
    }

    /// <summary>
    /// Runs <paramref name="step"/> on a case in one of <paramref name="stages"/>: <paramref name="body"/> changes the
    /// case by one UPDATE that answers the case as it left it (<see cref="UpdateAsync"/>), so the case is read once,
    /// before, and returns it with what the audit records. For the steps about the claim itself or a pending 延期
    /// request (claim, release, hand-over, ask or decline an extension): they neither check nor end a claim. A step
    /// that decides or moves the case issues a document (<see cref="IssueAsync"/>).
    /// </summary>
    public Task<Case> RunAsync(
        Officer officer, Guid caseId, OfficerStep step, IReadOnlyCollection<string> stages,
        Func<DbSession, CaseRow, Task<(CaseRow Case, string Detail)>> body, CancellationToken cancellationToken) =>
        steps.RunAsync(officer, step, Target(caseId), async (session, row) =>
        {
            Check(officer, step, stages, row, checkClaim: false);
            var (saved, detail) = await body(session, row);
            return new StepResult<Case>(view.ToMessage(await SaveStepAsync(session, saved)), detail);
        }, cancellationToken);

    /// <summary>
    /// Runs a step's UPDATE of the case, <paramref name="sqlReturning"/> (ending in <see cref="ReturningCase"/>) or on
    /// SQL Server <paramref name="sqlSqlServer"/> (between <see cref="SqlServerBeforeUpdate"/> and
    /// <see cref="SqlServerAfterUpdate"/>), taking <c>@Id</c>: the case as it left it, or null when it changed nothing.
    /// </summary>
    public static Task<CaseRow?> UpdateAsync(DbSession session, string sqlReturning, string sqlSqlServer, object parameters) =>
        session.QuerySingleOrDefaultAsync<CaseRow>(session.Dialect == SqlDialect.SqlServer ? sqlSqlServer : sqlReturning, parameters);

    /// <summary><see cref="UpdateAsync"/> of a versioned UPDATE: ABORTED when someone else changed the case since it was read.</summary>
    public static async Task<CaseRow> UpdateVersionedAsync(DbSession session, string sqlReturning, string sqlSqlServer, object parameters)
    {
        var saved = await UpdateAsync(session, sqlReturning, sqlSqlServer, parameters);
        EnsureUpdated(saved is null ? 0 : 1);
        return saved!;
    }

    /// <summary>
    /// Runs a step that issues a numbered document, as <see cref="RunAsync"/> does but refused while another officer's
    /// claim runs: <paramref name="body"/> makes every
    /// change that does not need the number (its versioned update first) and returns what does
    /// (<see cref="DocumentStep"/>); then the number is taken, stored on the case with the step's end (its work step, the
    /// claim ended), and the writes that carry it follow, with the audit and the commit.
    /// </summary>
    public Task<Case> IssueAsync(
        Officer officer, Guid caseId, OfficerStep step, IReadOnlyCollection<string> stages,
        Func<DbSession, CaseRow, Task<DocumentStep>> body, CancellationToken cancellationToken) =>
        steps.RunAsync(officer, step, Target(caseId), async (session, row) =>
        {
            Check(officer, step, stages, row, checkClaim: true);
            var issued = await body(session, row);
            var (document, saved) = await NumberAsync(session, row, issued, endClaim: true);
            var detail = await issued.RecordAsync(document);
            return new StepResult<Case>(view.ToMessage(saved), detail);
        }, cancellationToken);

    private void Check(Officer officer, OfficerStep step, IReadOnlyCollection<string> stages, CaseRow row, bool checkClaim)
    {
        StepRunner.Require(
            stages.Contains(row.Stage), $"案件当前环节为“{view.ToMessage(row).StageLabel}”，不能{step.Label}");
        StepRunner.Require(
            !checkClaim || row.ClaimedBy is not { } holder || holder == officer.Id || !(row.ClaimExpiresAt > time.GetUtcNow()),
            $"案件已由 {row.ClaimedBy} 领取办理，请等待其完成或退回");
    }

    /// <summary>
    /// Takes the document's number and stores it on the case with the work step the case is now at, ending a claim
    /// when <paramref name="endClaim"/>; answers the number and the case as the transaction left it (read by the same
    /// statement). The step's other changes to the case come before: nothing writes the case after this.
    /// </summary>
    /// <param name="row">The case as the step read it.</param>
    public static async Task<(string Document, CaseRow Case)> NumberAsync(DbSession session, CaseRow row, DocumentStep issued, bool endClaim)
    {
        var document = await DocumentNumbers.NextAsync(session, issued.County, issued.Kind, issued.IssuedAt);
        string? If(params string[] kinds) => kinds.Contains(issued.Kind) ? document : null;
        var parameters = new
        {
            row.Id,
            Step = CaseStep.Of(
                issued.Stage, row.RequestType,
                inspected: issued.Kind == DocumentNumbers.Inspection || !string.IsNullOrEmpty(row.InspectionDocument),
                reviewed: issued.Kind == DocumentNumbers.Opinion || !string.IsNullOrEmpty(row.OpinionDocument)),
            EndClaim = endClaim ? 1 : 0,
            Acceptance = If(DocumentNumbers.Acceptance),
            Decision = If(DocumentNumbers.Approval, DocumentNumbers.NotAccepted, DocumentNumbers.Denial),
            Correction = If(DocumentNumbers.Correction),
            Extension = If(DocumentNumbers.Extension),
            Inspection = If(DocumentNumbers.Inspection),
            Opinion = If(DocumentNumbers.Opinion),
        };
        var saved = await session.QuerySingleOrDefaultAsync<CaseRow>(
                session.Dialect == SqlDialect.SqlServer ? NumberSqlSqlServer : NumberSqlReturning, parameters)
            ?? throw new InvalidOperationException($"Case {row.Id} vanished inside its own transaction.");
        var step = CaseStep.Of(saved);
        if (step == saved.Step)
        {
            return (document, saved);
        }

        // The step foreseen from the stage and the document is what the case shows; should the row say otherwise, the row wins.
        await session.ExecuteAsync(StepSql, new { row.Id, Step = step });
        return (document, saved.WithStep(step));
    }

    /// <summary>The case as this transaction left it: what the officer's action answers with.</summary>
    public static async Task<CaseRow> ReloadAsync(DbSession session, Guid caseId) =>
        await session.QuerySingleOrDefaultAsync<CaseRow>(LoadSql, new { Id = caseId })
        ?? throw new InvalidOperationException($"Case {caseId} vanished inside its own transaction.");

    /// <summary>
    /// Stores the case's work step as this transaction left it (every step, consumer and timer that changes a stage or
    /// records an inspection or opinion ends here), and answers the case.
    /// </summary>
    public static async Task<CaseRow> SaveStepAsync(DbSession session, Guid caseId) =>
        await SaveStepAsync(session, await ReloadAsync(session, caseId));

    /// <summary>The same for the case as this transaction left it, already in hand (<paramref name="row"/>).</summary>
    public static async Task<CaseRow> SaveStepAsync(DbSession session, CaseRow row)
    {
        var step = CaseStep.Of(row);
        if (step == row.Step)
        {
            return row;
        }

        await session.ExecuteAsync(StepSql, new { row.Id, Step = step });
        return row.WithStep(step);
    }

    /// <summary>Fails with ABORTED when someone else changed the case since it was read.</summary>
    public static void EnsureUpdated(int rows) => StepRunner.EnsureUpdated(rows, "案件已被他人处理，请刷新后重试");
}
