using Permits.Shared.Domain;
namespace Permits.Review.Domain;

public sealed class CaseRow
{
    public const string Columns = """
        id AS Id, application_id AS ApplicationId, application_number AS ApplicationNumber, county_code AS CountyCode,
        request_type AS RequestType, holder_type AS HolderType, business_name AS BusinessName, credit_code AS CreditCode,
        responsible_person AS ResponsiblePerson, premises_address AS PremisesAddress, floor_area AS FloorArea,
        lease_end_date AS LeaseEndDate, stage AS Stage, received_at AS ReceivedAt, due_by AS DueBy,
        due_provisional AS DueProvisional, acceptance_document AS AcceptanceDocument, decision_document AS DecisionDocument,
        version AS Version, clock_phase AS ClockPhase, clock_started_on AS ClockStartedOn, clock_paused AS ClockPaused,
        clock_remaining_days AS ClockRemainingDays, decision_extended AS DecisionExtended, deemed_accepted AS DeemedAccepted,
        correction_document AS CorrectionDocument, extension_document AS ExtensionDocument,
        decision_reasons AS DecisionReasons, claimed_by AS ClaimedBy, claim_expires_at AS ClaimExpiresAt,
        inspection_document AS InspectionDocument, opinion_document AS OpinionDocument, recommendation AS Recommendation,
        licence_number AS LicenceNumber, holder_match AS HolderMatch, accepted_at AS AcceptedAt, step AS Step,
        claimed_by_name AS ClaimedByName, extension_requested_by AS ExtensionRequestedBy,
        extension_requested_by_name AS ExtensionRequestedByName, extension_requested_at AS ExtensionRequestedAt,
        extension_request_reason AS ExtensionRequestReason, decision_override AS DecisionOverride, grid_cell AS GridCell,
        decided_at AS DecidedAt, served_at AS ServedAt, served_method AS ServedMethod, decision_grounds AS DecisionGrounds,
        changed_on AS ChangedOn, filed_late AS FiledLate, promised_due_by AS PromisedDueBy
        """;

    public Guid Id { get; init; }
    public Guid ApplicationId { get; init; }
    public string ApplicationNumber { get; init; } = "";
    public string CountyCode { get; init; } = "";
    public string RequestType { get; init; } = "";
    public string HolderType { get; init; } = "";
    public string BusinessName { get; init; } = "";
    public string? CreditCode { get; init; }
    public string ResponsiblePerson { get; init; } = "";
    public string PremisesAddress { get; init; } = "";
    public decimal FloorArea { get; init; }
    public DateOnly? LeaseEndDate { get; init; }
    public string Stage { get; init; } = "";
    public DateTimeOffset ReceivedAt { get; init; }
    public DateOnly DueBy { get; init; }
    public int DueProvisional { get; init; }
    public string? AcceptanceDocument { get; init; }
    public string? DecisionDocument { get; init; }
    public int Version { get; init; }
    public string? ClockPhase { get; init; }
    public DateOnly? ClockStartedOn { get; init; }
    public int ClockPaused { get; init; }
    public int? ClockRemainingDays { get; init; }
    public int DecisionExtended { get; init; }
    public int DeemedAccepted { get; init; }
    public string? CorrectionDocument { get; init; }
    public string? ExtensionDocument { get; init; }
    public string? DecisionReasons { get; init; }
    public string? ClaimedBy { get; init; }
    public DateTimeOffset? ClaimExpiresAt { get; init; }
    public string? InspectionDocument { get; init; }
    public string? OpinionDocument { get; init; }
    public string? Recommendation { get; init; }
    public string? LicenceNumber { get; init; }
    public string? HolderMatch { get; init; }
    public DateTimeOffset? AcceptedAt { get; init; }

    /// <summary>The stored work step (<see cref="CaseStep"/>); null once decided.</summary>
    public string? Step { get; private set; }

    /// <summary>This row once its stored step is <paramref name="step"/>: what <c>UPDATE … SET step</c> leaves, without reading it again.</summary>
    public CaseRow WithStep(string? step)
    {
        var copy = (CaseRow)MemberwiseClone();
        copy.Step = step;
        return copy;
    }

    public string? ClaimedByName { get; init; }
    public string? ExtensionRequestedBy { get; init; }
    public string? ExtensionRequestedByName { get; init; }
    public DateTimeOffset? ExtensionRequestedAt { get; init; }
    public string? ExtensionRequestReason { get; init; }

    /// <summary>The head's reasons for approving past a failed layout or compliance check, one per line.</summary>
    public string? DecisionOverride { get; init; }

    /// <summary>The 网格 cell of the located premises (新办), for the quota.</summary>
    public string? GridCell { get; init; }
    public DateTimeOffset? DecidedAt { get; init; }

    /// <summary>When and how the decision was served (送达): a <see cref="Permits.Contracts.Documents.ServiceMethod"/> name.</summary>
    public DateTimeOffset? ServedAt { get; init; }
    public string? ServedMethod { get; init; }

    /// <summary>The legal grounds a refusal cited (<see cref="CaseGrounds"/>).</summary>
    public string? DecisionGrounds { get; init; }

    /// <summary>变更: the day of the change, and whether it was filed more than 30 days after it.</summary>
    public DateOnly? ChangedOn { get; init; }
    public int FiledLate { get; init; }

    /// <summary>The county's promised decision limit (承诺时限), set at acceptance when the county promises one.</summary>
    public DateOnly? PromisedDueBy { get; init; }

    /// <summary>An inspector or reviewer asked to extend the decision period, and the head has neither extended nor decided.</summary>
    public bool ExtensionRequested =>
        ExtensionRequestedAt is not null && string.IsNullOrEmpty(ExtensionDocument) && Stage == CaseStage.UnderReview;

    /// <summary>Who asked for the extension, as officers read it: 姓名（工号）, or the id alone.</summary>
    public string ExtensionRequester => string.IsNullOrEmpty(ExtensionRequestedByName)
        ? ExtensionRequestedBy ?? ""
        : $"{ExtensionRequestedByName}（{ExtensionRequestedBy}）";

    /// <summary>The applicant answered a 补正 notice asked before acceptance: back on the clerk's desk.</summary>
    public bool CorrectionReturned => Stage == CaseStage.AwaitingAcceptance && !string.IsNullOrEmpty(CorrectionDocument);

    /// <summary>The clock as stored (cases opened before the clock columns existed derive it from the stage).</summary>
    public ClockState Clock => new(
        ClockPhase ?? (Stage == CaseStage.AwaitingAcceptance ? Domain.ClockPhase.Acceptance : Domain.ClockPhase.Decision),
        ClockStartedOn ?? ChinaTime.DateOf(ReceivedAt),
        DueBy,
        DueProvisional != 0,
        ClockPaused != 0,
        ClockRemainingDays,
        DecisionExtended != 0);
}
