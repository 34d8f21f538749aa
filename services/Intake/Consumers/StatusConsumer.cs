using Permits.Intake.Domain;
using Permits.Shared.Data;
using Permits.Shared.Messaging;

namespace Permits.Intake.Consumers;

/// <summary>
/// Intake follows the case through the other services so the applicant's status is always current. Events from
/// different services may arrive out of order: the history takes every step, the status only ever moves forward.
/// Consumers of different events run at once, so the status is set only if it is still the one read (compare and
/// set); when another consumer changed it meanwhile, it is read again and compared again. A plain UPDATE after the
/// read let a slower consumer set 已发证 over 已送达 (seen in the fault run).
/// </summary>
public abstract class StatusConsumer<TMessage>(ServiceDatabase<IntakeModule> database, ILogger logger)
    : InboxConsumer<IntakeModule, TMessage>(database, logger)
    where TMessage : class
{
    private const string CurrentSql = "SELECT status FROM applications WHERE id = @Id";

    private const string SetStatusSql = "UPDATE applications SET status = @Status WHERE id = @Id AND status = @Expected";

    /// <summary>How many times a consumer reads the status again after others changed it under it.</summary>
    private const int MaxRereads = 10;

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
        for (var reread = 0; ApplicationStatus.Undecided(current); reread++)
        {
            if (await TrySetAsync(session, applicationId, status, current, reread))
            {
                return true;
            }

            current = await CurrentAsync(session, applicationId);
        }

        return false;
    }

    /// <summary>Sets the status if it is still <paramref name="expected"/>; false when another consumer changed it first.</summary>
    private static async Task<bool> TrySetAsync(DbSession session, Guid applicationId, string status, string expected, int reread) =>
        reread > MaxRereads
            ? throw new InvalidOperationException($"The status of application {applicationId} kept changing under its consumer; retried.")
            : await session.ExecuteAsync(SetStatusSql, new { Id = applicationId, Status = status, Expected = expected }) == 1;

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
        for (var reread = 0; ApplicationStatus.Rank(status) > ApplicationStatus.Rank(current); reread++)
        {
            if (await TrySetAsync(session, applicationId, status, current, reread))
            {
                return status;
            }

            current = await CurrentAsync(session, applicationId);
        }

        return current;
    }
}
