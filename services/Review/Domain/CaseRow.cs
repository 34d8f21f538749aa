namespace Permits.Review.Domain;

public sealed class CaseRow
{
    public const string Columns = """
        id AS Id, application_id AS ApplicationId, application_number AS ApplicationNumber, county_code AS CountyCode,
        request_type AS RequestType, holder_type AS HolderType, business_name AS BusinessName, credit_code AS CreditCode,
        responsible_person AS ResponsiblePerson, premises_address AS PremisesAddress, floor_area AS FloorArea,
        lease_end_date AS LeaseEndDate, stage AS Stage, received_at AS ReceivedAt, due_by AS DueBy,
        due_provisional AS DueProvisional, acceptance_document AS AcceptanceDocument, decision_document AS DecisionDocument,
        version AS Version
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
}
