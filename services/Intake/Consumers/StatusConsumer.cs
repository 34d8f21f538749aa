using Permits.Intake.Domain;
using Permits.Shared.Data;
using Permits.Shared.Messaging;

namespace Permits.Intake.Consumers;

/// <summary>
/// Intake follows the case through the other services so the applicant's status is always current. Events from
/// different services may arrive out of order: the history takes every step, the status only ever moves forward.
/// Consumers of different events run at once, so the status is set by a conditional UPDATE whose condition is the
/// statuses it may move from: the database checks it against the row as it is when the update takes the row's lock,
/// so a slower consumer cannot set 已发证 over 已送达 (seen in the fault run when a plain UPDATE followed a read), and
/// nothing needs reading first.
/// <para>
/// An event's whole change is one UPDATE of the application (the status moved if it may, with the columns the event
/// sets either way) and its step in the history, written only if Intake knows the application: an event about one it
/// does not know yet changes nothing and is retried. On PostgreSQL the UPDATE is a CTE of the statement that writes the
/// step, so the event costs one statement besides its inbox row; SQLite and SQL Server send the two one after the other.
/// Each consumer makes its UPDATE in both forms once (<see cref="ApplicationUpdate"/>) from the columns its event sets.
/// </para>
/// </summary>
public abstract class StatusConsumer<TMessage>(ServiceDatabase<IntakeModule> database, ILogger logger)
    : InboxConsumer<IntakeModule, TMessage>(database, logger)
    where TMessage : class
{
    /// <summary>The status moved forward, if it ranks lower, and nothing else: an unmoved row is not written at all.</summary>
    private const string AdvanceSql = "UPDATE applications SET status = @Status WHERE id = @ApplicationId AND status IN @From";

    private const string AdvanceSqlPostgres = $"""
        WITH change AS (UPDATE applications SET status = @Status WHERE id = @ApplicationId AND status = ANY(@From))
        {History.InsertIfKnownSql}
        """;

    private static readonly ApplicationUpdate Advance = new(AdvanceSql, AdvanceSqlPostgres);

    /// <summary>A refusal: the status set regardless of rank if still undecided, and then no deadline runs.</summary>
    private const string RefuseSql = $"""
        UPDATE applications SET status = @Status, {ApplicantDeadlines.ClearColumns}
        WHERE id = @ApplicationId AND status IN @From
        """;

    private const string RefuseSqlPostgres = $"""
        WITH change AS (
            UPDATE applications SET status = @Status, {ApplicantDeadlines.ClearColumns}
            WHERE id = @ApplicationId AND status = ANY(@From))
        {History.InsertIfKnownSql}
        """;

    private static readonly ApplicationUpdate Refuse = new(RefuseSql, RefuseSqlPostgres);

    private const string CurrentSql = "SELECT status FROM applications WHERE id = @Id";

    private const string SetStatusSql = "UPDATE applications SET status = @Status WHERE id = @Id AND status IN @From";

    private const string SetStatusSqlPostgres = "UPDATE applications SET status = @Status WHERE id = @Id AND status = ANY(@From)";

    /// <summary>A note as the history keeps it: at most 500 characters.</summary>
    protected static string Note(string text) => text.Length <= 500 ? text : text[..499] + "…";

    /// <summary>A refusal's reasons as the applicant reads them: the legal grounds cited, then the officer's words.</summary>
    protected static string Grounds(IEnumerable<Permits.Contracts.Review.RefusalGround> grounds, IEnumerable<string> reasons) =>
        string.Join("；", grounds.Select(g => g.Text).Concat(reasons));

    private static InvalidOperationException NotKnown(Guid applicationId) =>
        new($"Application {applicationId} is not known to Intake yet.");

    /// <summary>
    /// The event's change to the application and its step in the history (see the class). <paramref name="values"/> are
    /// the UPDATE's own parameters; the step's (<see cref="History.Parameters"/>) are there too, <c>@Status</c> among them.
    /// </summary>
    protected static async Task ChangeAsync(DbSession session, ApplicationUpdate update, HistoryStep step, params object[] values)
    {
        var parameters = History.Parameters(step, values);
        int recorded;
        if (session.Dialect == SqlDialect.PostgreSql)
        {
            recorded = await session.ExecuteAsync(update.SqlPostgres, parameters);
        }
        else
        {
            await session.ExecuteAsync(update.Sql, parameters);
            recorded = await session.ExecuteAsync(History.InsertIfKnownSql, parameters);
        }

        if (recorded != 1)
        {
            throw NotKnown(step.ApplicationId);
        }
    }

    /// <summary>
    /// Records the step and moves the status forward to it if it ranks higher (<c>@From</c>), with the columns the event
    /// sets (<see cref="ApplicationUpdate.Advancing"/>).
    /// </summary>
    protected static Task AdvanceAsync(DbSession session, ApplicationUpdate update, HistoryStep step, params object[] values) =>
        ChangeAsync(session, update, step, [new { From = ApplicationStatus.Below(step.Status) }, .. values]);

    /// <summary>Records the step and moves the status forward to it if it ranks higher; the event sets nothing else.</summary>
    protected static Task AdvanceAsync(DbSession session, HistoryStep step) => AdvanceAsync(session, Advance, step);

    /// <summary>A step in the history only; the status stays.</summary>
    protected static async Task AddHistoryAsync(DbSession session, HistoryStep step)
    {
        if (!await History.AddIfKnownAsync(session, step.ApplicationId, step.Status, step.At, step.Note, step.Document))
        {
            throw NotKnown(step.ApplicationId);
        }
    }

    /// <summary>不予受理 or 不予许可: the status set regardless of rank if it is still undecided, its deadline stopped; the step recorded either way.</summary>
    protected static Task RefuseAsync(DbSession session, HistoryStep step) =>
        ChangeAsync(session, Refuse, step, new { From = ApplicationStatus.UndecidedStatuses });

    /// <summary>
    /// Sets the status regardless of rank, if it is still undecided, and records the step; true if the status was set.
    /// For a correction notice, whose further writes depend on it.
    /// </summary>
    protected static async Task<bool> SetIfUndecidedAsync(DbSession session, HistoryStep step)
    {
        var set = await session.ExecuteAsync(
            session.Dialect == SqlDialect.PostgreSql ? SetStatusSqlPostgres : SetStatusSql,
            new { Id = step.ApplicationId, step.Status, From = ApplicationStatus.UndecidedStatuses }) == 1;
        if (!set && await session.QuerySingleOrDefaultAsync<string>(CurrentSql, new { Id = step.ApplicationId }) is null)
        {
            throw NotKnown(step.ApplicationId);
        }

        await History.AddAsync(session, step.ApplicationId, step.Status, step.At, step.Note, step.Document);
        return set;
    }
}
