using Permits.Intake.Domain;
using Permits.Shared.Data;
using Permits.Shared.Messaging;

namespace Permits.Intake.Consumers;

/// <summary>
/// Intake follows the case through the other services so the applicant's status is always current. Events from
/// different services may arrive out of order: the history takes every step, the status only ever moves forward.
/// Consumers of different events run at once, so the status is set by one conditional UPDATE whose condition is the
/// statuses it may move from: the database checks it against the row as it is when the update takes the row's lock,
/// so a slower consumer cannot set 已发证 over 已送达 (seen in the fault run when a plain UPDATE followed a read), and
/// nothing needs reading first. The status is read only when the update changed nothing: to tell an application Intake
/// does not know yet (retried) from one that is already further on.
/// </summary>
public abstract class StatusConsumer<TMessage>(ServiceDatabase<IntakeModule> database, ILogger logger)
    : InboxConsumer<IntakeModule, TMessage>(database, logger)
    where TMessage : class
{
    private const string CurrentSql = "SELECT status FROM applications WHERE id = @Id";

    private const string SetStatusSql = "UPDATE applications SET status = @Status WHERE id = @Id AND status IN @From";

    private const string SetStatusSqlPostgres = "UPDATE applications SET status = @Status WHERE id = @Id AND status = ANY(@From)";

    /// <summary>A note as the history keeps it: at most 500 characters.</summary>
    protected static string Note(string text) => text.Length <= 500 ? text : text[..499] + "…";

    /// <summary>A refusal's reasons as the applicant reads them: the legal grounds cited, then the officer's words.</summary>
    protected static string Grounds(IEnumerable<Permits.Contracts.Review.RefusalGround> grounds, IEnumerable<string> reasons) =>
        string.Join("；", grounds.Select(g => g.Text).Concat(reasons));

    /// <summary>The application's status now; an event about an application Intake does not know yet is retried.</summary>
    private static async Task<string> CurrentAsync(DbSession session, Guid applicationId) =>
        await session.QuerySingleOrDefaultAsync<string>(CurrentSql, new { Id = applicationId })
        ?? throw NotKnown(applicationId);

    private static InvalidOperationException NotKnown(Guid applicationId) =>
        new($"Application {applicationId} is not known to Intake yet.");

    /// <summary>Sets the status if it is one of <paramref name="from"/>; false when it is not (or the application is unknown).</summary>
    private static async Task<bool> TrySetAsync(DbSession session, Guid applicationId, string status, string[] from) =>
        await session.ExecuteAsync(
            session.Dialect == SqlDialect.PostgreSql ? SetStatusSqlPostgres : SetStatusSql,
            new { Id = applicationId, Status = status, From = from }) == 1;

    /// <summary>Sets the status regardless of rank, if it is still undecided (corrections, refusals).</summary>
    protected async Task<bool> SetIfUndecidedAsync(
        DbSession session, Guid applicationId, string status, DateTimeOffset at, string note, IssuedDocument? document = null)
    {
        var set = await TrySetAsync(session, applicationId, status, ApplicationStatus.UndecidedStatuses);
        if (!set)
        {
            _ = await CurrentAsync(session, applicationId);
        }

        await History.AddAsync(session, applicationId, status, at, note, document);
        return set;
    }

    /// <summary>A step in the history only; the status stays.</summary>
    protected async Task AddHistoryAsync(
        DbSession session, Guid applicationId, string step, DateTimeOffset at, string note, IssuedDocument? document = null)
    {
        if (!await History.AddIfKnownAsync(session, applicationId, step, at, note, document))
        {
            throw NotKnown(applicationId);
        }
    }

    /// <summary>Records the step and moves the status forward if it ranks higher; returns the status it has now.</summary>
    protected async Task<string> AdvanceAsync(
        DbSession session, Guid applicationId, string status, DateTimeOffset at, string note, IssuedDocument? document = null)
    {
        var now = await TrySetAsync(session, applicationId, status, ApplicationStatus.Below(status))
            ? status
            : await CurrentAsync(session, applicationId);
        await History.AddAsync(session, applicationId, status, at, note, document);
        return now;
    }
}
