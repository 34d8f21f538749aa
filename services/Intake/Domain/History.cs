using Permits.Shared.Data;

namespace Permits.Intake.Domain;

/// <summary>The applicant's status history: one row per step, never edited.</summary>
public static class History
{
    private const string InsertSql = """
        INSERT INTO application_history (id, application_id, status, at, note)
        VALUES (@Id, @ApplicationId, @Status, @At, @Note)
        """;

    public static Task AddAsync(DbSession session, Guid applicationId, string status, DateTimeOffset at, string note) =>
        session.ExecuteAsync(InsertSql, new { Id = Guid.NewGuid(), ApplicationId = applicationId, Status = status, At = at, Note = note });
}
