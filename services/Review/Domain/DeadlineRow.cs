namespace Permits.Review.Domain;

public sealed class DeadlineRow
{
    public const string Columns = """
        id AS Id, case_id AS CaseId, county_code AS CountyCode, kind AS Kind, due_by AS DueBy,
        due_provisional AS DueProvisional, warn_on AS WarnOn, warned_at AS WarnedAt, breached_at AS BreachedAt,
        closed_at AS ClosedAt
        """;

    public Guid Id { get; init; }
    public Guid CaseId { get; init; }
    public string CountyCode { get; init; } = "";
    public string Kind { get; init; } = "";
    public DateOnly DueBy { get; init; }
    public int DueProvisional { get; init; }
    public DateOnly WarnOn { get; init; }
    public DateTimeOffset? WarnedAt { get; init; }
    public DateTimeOffset? BreachedAt { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
}
