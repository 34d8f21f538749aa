using Dapper;
using Permits.Shared.Data;

namespace Permits.Review.Domain;

/// <summary>
/// The append-only audit trail: who did what, when, from where, on which case. Done actions are written in the
/// action's own transaction; refused attempts on a connection of their own, since the action rolls back.
/// </summary>
public sealed class AuditTrail(ServiceDatabase<ReviewModule> database, TimeProvider time)
{
    public const string Done = "Done";
    public const string Refused = "Refused";

    private const string InsertSql = """
        INSERT INTO review_audit (
            id, occurred_at, officer_id, officer_role, officer_county, case_id, case_county, action, outcome, detail,
            peer_address)
        VALUES (@Id, @OccurredAt, @OfficerId, @OfficerRole, @OfficerCounty, @CaseId, @CaseCounty, @Action, @Outcome,
            @Detail, @PeerAddress)
        """;

    public Task RecordAsync(DbSession session, OfficerContext officer, ReviewAction action, Guid? caseId, string? caseCounty, string detail) =>
        session.ExecuteAsync(InsertSql, Row(officer, action, caseId, caseCounty, Done, detail));

    public async Task RefusedAsync(OfficerContext officer, ReviewAction action, Guid? caseId, string? caseCounty, string reason)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync(InsertSql, Row(officer, action, caseId, caseCounty, Refused, reason));
    }

    private object Row(OfficerContext officer, ReviewAction action, Guid? caseId, string? caseCounty, string outcome, string detail) => new
    {
        Id = Guid.NewGuid(),
        OccurredAt = time.GetUtcNow(),
        OfficerId = Truncate(officer.OfficerId, 64),
        OfficerRole = officer.RoleName,
        OfficerCounty = Truncate(officer.CountyCode, 20),
        CaseId = caseId,
        CaseCounty = caseCounty,
        Action = action.ToString(),
        Outcome = outcome,
        Detail = Truncate(detail, 4000),
        PeerAddress = Truncate(officer.PeerAddress, 200),
    };

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}
