using Dapper;
using Permits.Shared.Data;

namespace Permits.Identity.Features;

/// <summary>
/// Sign-in sessions, so that signing out ends them everywhere (退出登录即失效): Identity's cookie carries the session id
/// (<see cref="Claim"/>), and so do the identity token and the Portal's cookie made from it. Every request on Identity
/// and (through <c>/connect/session</c>, cached briefly) on every Portal replica checks the id here, so a copied cookie
/// is worthless once its session is revoked. The store is Identity's database: the Portal has none, and all replicas of
/// both share it.
/// </summary>
public sealed class Sessions(ServiceDatabase<IdentityModule> database, TimeProvider time)
{
    /// <summary>The session id claim (in the identity token too; never in access tokens).</summary>
    public const string Claim = "permits_session";

    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    public const string InsertSql = """
        INSERT INTO identity_sessions (session_id, subject, created_at, expires_at, revoked_at)
        VALUES (@SessionId, @Subject, @CreatedAt, @ExpiresAt, NULL)
        """;

    public const string ActiveSql = """
        SELECT COUNT(*) FROM identity_sessions WHERE session_id = @SessionId AND revoked_at IS NULL AND expires_at > @Now
        """;

    public const string RevokeSql = """
        UPDATE identity_sessions SET revoked_at = @Now WHERE session_id = @SessionId AND revoked_at IS NULL
        """;

    public const string RevokeSubjectSql = """
        UPDATE identity_sessions SET revoked_at = @Now WHERE subject = @Subject AND revoked_at IS NULL
        """;

    /// <summary>Ends every open session of one person (an officer deactivated, or given a new password), in the change's transaction.</summary>
    public static Task RevokeAllAsync(DbSession session, string subject, long now) =>
        session.ExecuteAsync(RevokeSubjectSql, new { Subject = subject, Now = now });

    public async Task<string> OpenAsync(string subject, CancellationToken cancellationToken)
    {
        await using var session = await database.BeginAsync(cancellationToken);
        var id = await OpenAsync(session, subject);
        await session.CommitAsync(cancellationToken);
        return id;
    }

    /// <summary>Opens a session in the caller's transaction (an SMS sign-in's, with the code it uses up); returns its id.</summary>
    public async Task<string> OpenAsync(DbSession session, string subject)
    {
        var id = Guid.NewGuid().ToString("N");
        var now = time.GetUtcNow();
        await session.ExecuteAsync(InsertSql, new
        {
            SessionId = id,
            Subject = subject,
            CreatedAt = now.ToUnixTimeMilliseconds(),
            ExpiresAt = (now + Lifetime).ToUnixTimeMilliseconds(),
        });
        return id;
    }

    /// <summary>One read, with no transaction around it (opening one only to roll it back cost a round trip).</summary>
    public async Task<bool> IsActiveAsync(string? sessionId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(sessionId) || sessionId.Length > 32)
        {
            return false;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(
            ActiveSql, new { SessionId = sessionId, Now = time.GetUtcNow().ToUnixTimeMilliseconds() }) > 0;
    }

    public async Task RevokeAsync(string? sessionId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(sessionId))
        {
            return;
        }

        await using var session = await database.BeginAsync(cancellationToken);
        await session.ExecuteAsync(RevokeSql, new { SessionId = sessionId, Now = time.GetUtcNow().ToUnixTimeMilliseconds() });
        await session.CommitAsync(cancellationToken);
    }
}
