using Permits.Intake.Domain;
using Permits.Shared.Data;
using Permits.Shared.Messaging;

namespace Permits.Intake.Consumers;

/// <summary>
/// Intake follows the case through the other services so the applicant's status is always current. Events from
/// different services may arrive out of order: the history takes every step, the status only ever moves forward.
/// </summary>
public abstract class StatusConsumer<TMessage>(ServiceDatabase<IntakeModule> database, ILogger logger)
    : InboxConsumer<IntakeModule, TMessage>(database, logger)
    where TMessage : class
{
    private const string CurrentSql = "SELECT status FROM applications WHERE id = @Id";

    private const string SetStatusSql = "UPDATE applications SET status = @Status WHERE id = @Id";

    /// <summary>A note as the history keeps it: at most 500 characters.</summary>
    protected static string Note(string text) => text.Length <= 500 ? text : text[..499] + "…";

    /// <summary>A refusal's reasons as the applicant reads them: the legal grounds cited, then the officer's words.</summary>
    protected static string Grounds(IEnumerable<Permits.Contracts.Review.RefusalGround> grounds, IEnumerable<string> reasons) =>
        string.Join("；", grounds.Select(g => g.Text).Concat(reasons));

    /// <summary>The application's status now; an event about an application Intake does not know yet is retried.</summary>
    private static async Task<string> CurrentAsync(DbSession session, Guid applicationId) =>
        await session.QuerySingleOrDefaultAsync<string>(CurrentSql, new { Id = applicationId })
        ?? throw new InvalidOperationException($"Application {applicationId} is not known to Intake yet.");

    /// <summary>Sets the status regardless of rank, if it is still undecided (corrections, refusals).</summary>
    protected async Task<bool> SetIfUndecidedAsync(
        DbSession session, Guid applicationId, string status, DateTimeOffset at, string note, IssuedDocument? document = null)
    {
        var current = await CurrentAsync(session, applicationId);
        await History.AddAsync(session, applicationId, status, at, note, document);
        if (!ApplicationStatus.Undecided(current))
        {
            return false;
        }

        await session.ExecuteAsync(SetStatusSql, new { Id = applicationId, Status = status });
        return true;
    }

    /// <summary>A step in the history only; the status stays.</summary>
    protected async Task AddHistoryAsync(
        DbSession session, Guid applicationId, string step, DateTimeOffset at, string note, IssuedDocument? document = null)
    {
        _ = await CurrentAsync(session, applicationId);
        await History.AddAsync(session, applicationId, step, at, note, document);
    }

    /// <summary>Records the step and moves the status forward if it ranks higher; returns the status it has now.</summary>
    protected async Task<string> AdvanceAsync(
        DbSession session, Guid applicationId, string status, DateTimeOffset at, string note, IssuedDocument? document = null)
    {
        var current = await CurrentAsync(session, applicationId);
        await History.AddAsync(session, applicationId, status, at, note, document);
        if (ApplicationStatus.Rank(status) > ApplicationStatus.Rank(current))
        {
            await session.ExecuteAsync(SetStatusSql, new { Id = applicationId, Status = status });
            return status;
        }

        return current;
    }
}
