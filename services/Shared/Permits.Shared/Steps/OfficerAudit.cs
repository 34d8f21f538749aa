using Dapper;
using Permits.Shared.Data;
using Permits.Shared.Messaging;

namespace Permits.Shared.Steps;

/// <summary>One line of the officer audit (table <c>officer_audit</c>, the same shape in every service's database).</summary>
public sealed class AuditEntry
{
    public const string Columns = """
        id AS Id, occurred_at AS OccurredAt, officer_id AS OfficerId, officer_name AS OfficerName,
        officer_role AS OfficerRole, officer_county AS OfficerCounty, subject_id AS SubjectId,
        subject_county AS SubjectCounty, action AS Action, outcome AS Outcome, detail AS Detail, peer_address AS PeerAddress
        """;

    public Guid Id { get; init; }
    public DateTimeOffset OccurredAt { get; init; }
    public string OfficerId { get; init; } = "";
    public string OfficerName { get; init; } = "";
    public string OfficerRole { get; init; } = "";
    public string OfficerCounty { get; init; } = "";

    /// <summary>What the step was on: a case id, a licence number, a shipment id, a request number.</summary>
    public string SubjectId { get; init; } = "";
    public string? SubjectCounty { get; init; }
    public string Action { get; init; } = "";

    /// <summary><see cref="OfficerAudit{TService}.Done"/> or <see cref="OfficerAudit{TService}.Refused"/>.</summary>
    public string Outcome { get; init; } = "";
    public string Detail { get; init; } = "";
    public string PeerAddress { get; init; } = "";
}

/// <summary>
/// The append-only officer audit of one service: who took which step on what, when, from where, and who was refused.
/// A step done is written in the step's own transaction; a refusal on a connection of its own, since the step's
/// transaction changes nothing. Never holds a secret (pickup codes, passwords).
/// </summary>
public sealed class OfficerAudit<TService>(ServiceDatabase<TService> database, TimeProvider time)
    where TService : IServiceModule
{
    public const string Done = "done";
    public const string Refused = "refused";

    private const string InsertSql = """
        INSERT INTO officer_audit (
            id, occurred_at, officer_id, officer_name, officer_role, officer_county, subject_id, subject_county, action,
            outcome, detail, peer_address)
        VALUES (@Id, @OccurredAt, @OfficerId, @OfficerName, @OfficerRole, @OfficerCounty, @SubjectId, @SubjectCounty,
            @Action, @Outcome, @Detail, @PeerAddress)
        """;

    private const string RefusalsSql = """
        SELECT
            (SELECT COUNT(*) FROM officer_audit
             WHERE subject_id = @SubjectId AND action = @Action AND outcome = 'refused' AND detail = @Detail AND occurred_at >= @Since) AS Subject,
            (SELECT COUNT(*) FROM officer_audit
             WHERE officer_id = @OfficerId AND action = @Action AND outcome = 'refused' AND detail = @Detail AND occurred_at >= @Since) AS Officer
        """;

    private const string TrailSql = $"SELECT {AuditEntry.Columns} FROM officer_audit WHERE subject_id = @SubjectId ORDER BY occurred_at, id";

    /// <summary>A step done, inside the step's transaction.</summary>
    public Task DoneAsync(DbSession session, Officer officer, OfficerStep step, string subjectId, string? subjectCounty, string detail) =>
        session.ExecuteAsync(InsertSql, Row(officer, step, subjectId, subjectCounty, Done, detail));

    /// <summary>A step done by the system itself (a deadline passing), in the name of <paramref name="actor"/>.</summary>
    public Task DoneBySystemAsync(DbSession session, string actor, OfficerStep step, string subjectId, string? subjectCounty, string detail) =>
        session.ExecuteAsync(InsertSql, Row(System(actor, subjectCounty), step, subjectId, subjectCounty, Done, detail, bySystem: true));

    /// <summary>A refusal, on its own connection.</summary>
    public async Task RefusedAsync(Officer officer, OfficerStep step, string subjectId, string? subjectCounty, string reason)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync(InsertSql, Row(officer, step, subjectId, subjectCounty, Refused, reason));
    }

    /// <summary>How often <paramref name="step"/> was refused with <paramref name="detail"/> since a moment, on the subject and for the officer.</summary>
    public async Task<(long Subject, long Officer)> RefusalsSinceAsync(
        string subjectId, Officer officer, OfficerStep step, string detail, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var counts = await connection.QuerySingleAsync<RefusalCounts>(RefusalsSql, new
        {
            SubjectId = Clip(subjectId, 64),
            OfficerId = Clip(officer.Id, 64),
            Action = step.Code,
            Detail = Clip(detail, 4000),
            Since = since,
        });
        return (counts.Subject, counts.Officer);
    }

    /// <summary>Everything done and refused on a subject, oldest first.</summary>
    public async Task<IReadOnlyList<AuditEntry>> TrailAsync(string subjectId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<AuditEntry>(TrailSql, new { SubjectId = subjectId })).ToList();
    }

    private static Officer System(string actor, string? county) =>
        new(actor, "系统", new HashSet<string>(StringComparer.Ordinal), county ?? "", "");

    // Only the system is recorded in the role "system": a signed-in caller without an officer role is "unknown".
    private object Row(
        Officer officer, OfficerStep step, string subjectId, string? subjectCounty, string outcome, string detail, bool bySystem = false) => new
    {
        Id = Guid.NewGuid(),
        OccurredAt = time.GetUtcNow(),
        OfficerId = Clip(officer.Id, 64),
        OfficerName = Clip(officer.Name, 100),
        OfficerRole = Clip(bySystem ? "system" : officer.RoleFor(step), 30),
        OfficerCounty = Clip(officer.CountyCode, 20),
        SubjectId = Clip(subjectId, 64),
        SubjectCounty = subjectCounty is null ? null : Clip(subjectCounty, 20),
        Action = Clip(step.Code, 50),
        Outcome = outcome,
        Detail = Clip(detail, 4000),
        PeerAddress = Clip(officer.PeerAddress, 200),
    };

    private static string Clip(string text, int length) => text.Length <= length ? text : text[..length];

    private sealed class RefusalCounts
    {
        public long Subject { get; init; }
        public long Officer { get; init; }
    }
}
