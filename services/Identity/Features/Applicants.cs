using System.Data.Common;
using Permits.Shared.Data;

namespace Permits.Identity.Features;

/// <summary>A shopkeeper's subject is stable per mobile number, and random (not derived from the number).</summary>
public sealed class Applicants(ServiceDatabase<IdentityModule> database, TimeProvider time)
{
    public const string FindSql = "SELECT subject FROM identity_applicants WHERE phone_number = @PhoneNumber";

    public const string InsertSql = """
        INSERT INTO identity_applicants (phone_number, subject, created_at) VALUES (@PhoneNumber, @Subject, @CreatedAt)
        """;

    /// <summary>The number's subject, in a transaction of its own (the embedded host's demo applicants).</summary>
    public async Task<string> SubjectForAsync(string phoneNumber, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await using var session = await database.BeginAsync(cancellationToken);
                var subject = await SubjectForAsync(session, phoneNumber);
                await session.CommitAsync(cancellationToken);
                return subject;
            }
            catch (DbException) when (attempt == 0)
            {
                // The same number signed in twice at once: the other insert won; read its subject.
            }
        }
    }

    /// <summary>
    /// The number's subject, made on its first sign-in, in the caller's transaction (an SMS sign-in's). The same
    /// number's first sign-in twice at once fails one insert on the primary key, and that transaction is tried again.
    /// </summary>
    public async Task<string> SubjectForAsync(DbSession session, string phoneNumber)
    {
        if (await session.QuerySingleOrDefaultAsync<string>(FindSql, new { PhoneNumber = phoneNumber }) is { } subject)
        {
            return subject;
        }

        subject = "a-" + Guid.NewGuid().ToString("N");
        await session.ExecuteAsync(InsertSql,
            new { PhoneNumber = phoneNumber, Subject = subject, CreatedAt = time.GetUtcNow().ToUnixTimeMilliseconds() });
        return subject;
    }
}
