using Grpc.Core;
using Permits.Shared.Data;

namespace Permits.Disclosure.Requests;

/// <summary>Reads and writes of one request inside the caller's transaction; every change is version-checked.</summary>
public static class RequestStore
{
    public const string LoadByNumberSql = $"SELECT {RequestRow.Columns} FROM disclosure_requests WHERE request_number = @Number";

    public const string LoadByClientIdSql = $"SELECT {RequestRow.Columns} FROM disclosure_requests WHERE client_request_id = @ClientRequestId";

    public const string StepsSql = $"SELECT {StepRow.Columns} FROM disclosure_request_steps WHERE request_id = @Id ORDER BY step_number";

    public const string AppealsSql = $"SELECT {AppealRow.Columns} FROM disclosure_request_appeals WHERE request_id = @Id ORDER BY filed_on, recorded_at";

    public const string InsertSql = """
        INSERT INTO disclosure_requests (
            id, request_number, client_request_id, fingerprint, query_code, county_code, category, requester_name,
            id_number, credit_code, contact_name, phone, email, address, description, preferred_form, delivery_method,
            state, filed_at, filed_on, clock_started_on, due_on, due_provisional, remaining_working_days, extended,
            extension_approved_by, correction_notice_due_on, correction_notice, correction_requested_on,
            correction_due_on, corrected_on, third_party, consultation_started_on, consultation_due_on, outcome,
            outcome_reason, answered_on, answered_at, answered_late, version)
        VALUES (
            @Id, @RequestNumber, @ClientRequestId, @Fingerprint, @QueryCode, @CountyCode, @Category, @RequesterName,
            @IdNumber, @CreditCode, @ContactName, @Phone, @Email, @Address, @Description, @PreferredForm, @DeliveryMethod,
            @State, @FiledAt, @FiledOn, @ClockStartedOn, @DueOn, @DueProvisional, @RemainingWorkingDays, @Extended,
            @ExtensionApprovedBy, @CorrectionNoticeDueOn, @CorrectionNotice, @CorrectionRequestedOn,
            @CorrectionDueOn, @CorrectedOn, @ThirdParty, @ConsultationStartedOn, @ConsultationDueOn, @Outcome,
            @OutcomeReason, @AnsweredOn, @AnsweredAt, @AnsweredLate, @Version)
        """;

    public const string UpdateSql = """
        UPDATE disclosure_requests SET
            state = @State, description = @Description, clock_started_on = @ClockStartedOn, due_on = @DueOn,
            due_provisional = @DueProvisional, remaining_working_days = @RemainingWorkingDays, extended = @Extended,
            extension_approved_by = @ExtensionApprovedBy, correction_notice = @CorrectionNotice,
            correction_requested_on = @CorrectionRequestedOn, correction_due_on = @CorrectionDueOn,
            corrected_on = @CorrectedOn, third_party = @ThirdParty, consultation_started_on = @ConsultationStartedOn,
            consultation_due_on = @ConsultationDueOn, outcome = @Outcome, outcome_reason = @OutcomeReason,
            answered_on = @AnsweredOn, answered_at = @AnsweredAt, answered_late = @AnsweredLate, version = version + 1
        WHERE id = @Id AND version = @Version
        """;

    public const string InsertStepSql = """
        INSERT INTO disclosure_request_steps (id, request_id, step_number, occurred_at, actor_id, actor_name, action, detail)
        VALUES (@Id, @RequestId, @Sequence, @OccurredAt, @ActorId, @ActorName, @Action, @Detail)
        """;

    public const string InsertAppealSql = """
        INSERT INTO disclosure_request_appeals (
            id, request_id, county_code, kind, filed_on, result, concluded_on, note, recorded_by, recorded_at)
        VALUES (@Id, @RequestId, @CountyCode, @Kind, @FiledOn, @Result, @ConcludedOn, @Note, @RecordedBy, @RecordedAt)
        """;

    public const string ConcludeAppealSql = """
        UPDATE disclosure_request_appeals SET result = @Result, concluded_on = @ConcludedOn, note = @Note
        WHERE id = @Id AND request_id = @RequestId AND result = @Pending
        """;

    public static Task<RequestRow?> FindAsync(DbSession session, string number) =>
        session.QuerySingleOrDefaultAsync<RequestRow>(LoadByNumberSql, new { Number = number });

    /// <summary>Writes the changed request; ABORTED when someone else changed it since it was read.</summary>
    public static async Task UpdateAsync(DbSession session, RequestRow changed)
    {
        if (await session.ExecuteAsync(UpdateSql, changed) != 1)
        {
            throw new RpcException(new Status(StatusCode.Aborted, "该申请刚被他人办理过，请刷新后重试"));
        }
    }

    /// <summary>Step <paramref name="sequence"/> is the request's version after the step: unique, in order.</summary>
    public static Task AddStepAsync(DbSession session, Guid requestId, int sequence, DateTimeOffset at, string actorId, string actorName, string action, string detail) =>
        session.ExecuteAsync(InsertStepSql, new
        {
            Id = Guid.NewGuid(),
            RequestId = requestId,
            Sequence = sequence,
            OccurredAt = at,
            ActorId = Truncate(actorId, 64),
            ActorName = Truncate(actorName, 100),
            Action = action,
            Detail = Truncate(detail, 4000),
        });

    public static async Task<(IReadOnlyList<StepRow> Steps, IReadOnlyList<AppealRow> Appeals)> DetailsAsync(DbSession session, Guid id)
    {
        var steps = (await session.QueryAsync<StepRow>(StepsSql, new { Id = id })).ToList();
        var appeals = (await session.QueryAsync<AppealRow>(AppealsSql, new { Id = id })).ToList();
        return (steps, appeals);
    }

    public static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}
