namespace Permits.Review.Domain;

public sealed class AuditRow
{
    public const string Columns = """
        id AS Id, occurred_at AS OccurredAt, officer_id AS OfficerId, officer_role AS OfficerRole,
        officer_county AS OfficerCounty, case_id AS CaseId, case_county AS CaseCounty, action AS Action,
        outcome AS Outcome, detail AS Detail, peer_address AS PeerAddress
        """;

    public Guid Id { get; init; }
    public DateTimeOffset OccurredAt { get; init; }
    public string OfficerId { get; init; } = "";
    public string OfficerRole { get; init; } = "";
    public string OfficerCounty { get; init; } = "";
    public Guid? CaseId { get; init; }
    public string? CaseCounty { get; init; }
    public string Action { get; init; } = "";
    public string Outcome { get; init; } = "";
    public string Detail { get; init; } = "";
    public string PeerAddress { get; init; } = "";
}
