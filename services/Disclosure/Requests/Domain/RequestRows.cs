namespace Permits.Disclosure.Requests;

/// <summary>A row of disclosure_requests.</summary>
public sealed record RequestRow
{
    public const string Columns = """
        id AS Id, request_number AS RequestNumber, client_request_id AS ClientRequestId, fingerprint AS Fingerprint,
        query_code AS QueryCode, county_code AS CountyCode, category AS Category, requester_name AS RequesterName,
        id_number AS IdNumber, credit_code AS CreditCode, contact_name AS ContactName, phone AS Phone, email AS Email,
        address AS Address, description AS Description, preferred_form AS PreferredForm,
        delivery_method AS DeliveryMethod, state AS State, filed_at AS FiledAt, filed_on AS FiledOn,
        clock_started_on AS ClockStartedOn, due_on AS DueOn, due_provisional AS DueProvisional,
        remaining_working_days AS RemainingWorkingDays, extended AS Extended,
        extension_approved_by AS ExtensionApprovedBy, correction_notice_due_on AS CorrectionNoticeDueOn,
        correction_notice AS CorrectionNotice, correction_requested_on AS CorrectionRequestedOn,
        correction_due_on AS CorrectionDueOn, corrected_on AS CorrectedOn, third_party AS ThirdParty,
        consultation_started_on AS ConsultationStartedOn, consultation_due_on AS ConsultationDueOn,
        outcome AS Outcome, outcome_reason AS OutcomeReason, answered_on AS AnsweredOn, answered_at AS AnsweredAt,
        answered_late AS AnsweredLate, version AS Version
        """;

    public Guid Id { get; init; }
    public string RequestNumber { get; init; } = "";
    public string ClientRequestId { get; init; } = "";
    public string Fingerprint { get; init; } = "";
    public string QueryCode { get; init; } = "";
    public string CountyCode { get; init; } = "";
    public string Category { get; init; } = "";
    public string RequesterName { get; init; } = "";
    public string? IdNumber { get; init; }
    public string? CreditCode { get; init; }
    public string? ContactName { get; init; }
    public string Phone { get; init; } = "";
    public string? Email { get; init; }
    public string? Address { get; init; }
    public string Description { get; init; } = "";
    public string PreferredForm { get; init; } = "";
    public string DeliveryMethod { get; init; } = "";
    public string State { get; init; } = "";
    public DateTimeOffset FiledAt { get; init; }
    public DateOnly FiledOn { get; init; }
    public DateOnly ClockStartedOn { get; init; }
    public DateOnly? DueOn { get; init; }
    public int DueProvisional { get; init; }
    public int? RemainingWorkingDays { get; init; }
    public int Extended { get; init; }
    public string? ExtensionApprovedBy { get; init; }
    public DateOnly CorrectionNoticeDueOn { get; init; }
    public string? CorrectionNotice { get; init; }
    public DateOnly? CorrectionRequestedOn { get; init; }
    public DateOnly? CorrectionDueOn { get; init; }
    public DateOnly? CorrectedOn { get; init; }
    public string? ThirdParty { get; init; }
    public DateOnly? ConsultationStartedOn { get; init; }
    public DateOnly? ConsultationDueOn { get; init; }
    public string? Outcome { get; init; }
    public string? OutcomeReason { get; init; }
    public DateOnly? AnsweredOn { get; init; }
    public DateTimeOffset? AnsweredAt { get; init; }
    public int AnsweredLate { get; init; }
    public int Version { get; init; }

    public RequestState StateValue => Enum.Parse<RequestState>(State);

    public ApplicantCategory CategoryValue => Enum.Parse<ApplicantCategory>(Category);
}

/// <summary>A row of disclosure_request_steps: the audit trail, one row per step, with who did it.</summary>
public sealed class StepRow
{
    public const string Columns = """
        id AS Id, request_id AS RequestId, step_number AS Sequence, occurred_at AS OccurredAt, actor_id AS ActorId, actor_name AS ActorName,
        action AS Action, detail AS Detail
        """;

    public Guid Id { get; init; }
    public Guid RequestId { get; init; }
    public int Sequence { get; init; }
    public DateTimeOffset OccurredAt { get; init; }
    public string ActorId { get; init; } = "";
    public string ActorName { get; init; } = "";
    public string Action { get; init; } = "";
    public string Detail { get; init; } = "";
}

/// <summary>A row of disclosure_request_appeals.</summary>
public sealed class AppealRow
{
    public const string Columns = """
        id AS Id, request_id AS RequestId, county_code AS CountyCode, kind AS Kind, filed_on AS FiledOn,
        result AS Result, concluded_on AS ConcludedOn, note AS Note, recorded_by AS RecordedBy, recorded_at AS RecordedAt
        """;

    public Guid Id { get; init; }
    public Guid RequestId { get; init; }
    public string CountyCode { get; init; } = "";
    public string Kind { get; init; } = "";
    public DateOnly FiledOn { get; init; }
    public string Result { get; init; } = "";
    public DateOnly? ConcludedOn { get; init; }
    public string? Note { get; init; }
    public string RecordedBy { get; init; } = "";
    public DateTimeOffset RecordedAt { get; init; }
}
