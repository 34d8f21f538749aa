using Dapper;
using Microsoft.Extensions.Options;
using Permits.Shared.Data;
using Permits.Shared.Hosting;

namespace Permits.Identity.Features;

/// <summary>
/// Deletes the sign-in records whose retention period has passed (<see cref="RetentionSettings"/>): SMS codes by when
/// they were sent, officers' sign-in attempts by when they were made, sessions by when they ended. A bounded batch of
/// each per statement, oldest first, passes following each other while batches come back full, then one pass every
/// <see cref="RetentionSettings.PruneIntervalMinutes"/>. Every replica may run it: deleting what is gone changes
/// nothing. The limits and the lock-out read minutes and days back, far inside what is kept.
/// </summary>
public sealed partial class SignInRecordPruner : PollingWorker
{
    private const string PruneCodesSqlLimit = """
        DELETE FROM identity_sms_codes WHERE id IN (
            SELECT id FROM identity_sms_codes WHERE issued_at < @Before ORDER BY issued_at LIMIT @Limit)
        """;

    private const string PruneCodesSqlSqlServer = "DELETE TOP (@Limit) FROM identity_sms_codes WHERE issued_at < @Before";

    private const string PruneAttemptsSqlLimit = """
        DELETE FROM identity_sign_in_attempts WHERE id IN (
            SELECT id FROM identity_sign_in_attempts WHERE attempted_at < @Before ORDER BY attempted_at LIMIT @Limit)
        """;

    private const string PruneAttemptsSqlSqlServer = "DELETE TOP (@Limit) FROM identity_sign_in_attempts WHERE attempted_at < @Before";

    private const string PruneSessionsSqlLimit = """
        DELETE FROM identity_sessions WHERE session_id IN (
            SELECT session_id FROM identity_sessions WHERE expires_at < @Before ORDER BY expires_at LIMIT @Limit)
        """;

    private const string PruneSessionsSqlSqlServer = "DELETE TOP (@Limit) FROM identity_sessions WHERE expires_at < @Before";

    private readonly ServiceDatabase<IdentityModule> database;
    private readonly IOptions<IdentitySettings> settings;
    private readonly ILogger logger;

    public SignInRecordPruner(
        ServiceDatabase<IdentityModule> database, IOptions<IdentitySettings> settings, TimeProvider time, ILogger<SignInRecordPruner> logger)
        : base(time, logger)
    {
        this.database = database;
        this.settings = settings;
        this.logger = logger;
    }

    private RetentionSettings Retention => settings.Value.Retention;

    protected override async Task<TimeSpan> PassAsync(CancellationToken cancellationToken)
    {
        var pruned = await PruneAsync(cancellationToken);
        var full = Retention.BatchSize;
        return pruned.Codes == full || pruned.Attempts == full || pruned.Sessions == full
            ? TimeSpan.Zero
            : TimeSpan.FromMinutes(Retention.PruneIntervalMinutes);
    }

    /// <summary>Records made before this instant are past their retention: the same day and hour, the set months ago.</summary>
    public DateTimeOffset Cutoff => Time.GetUtcNow().AddMonths(-Retention.SignInRecordMonths);

    /// <summary>One batch of each kind of record; how many of each were deleted.</summary>
    public async Task<(int Codes, int Attempts, int Sessions)> PruneAsync(CancellationToken cancellationToken)
    {
        var sqlServer = database.Dialect == SqlDialect.SqlServer;
        var parameters = new { Before = Cutoff.ToUnixTimeMilliseconds(), Limit = Retention.BatchSize };
        await using var connection = await database.OpenAsync(cancellationToken);
        var codes = await connection.ExecuteAsync(sqlServer ? PruneCodesSqlSqlServer : PruneCodesSqlLimit, parameters);
        var attempts = await connection.ExecuteAsync(sqlServer ? PruneAttemptsSqlSqlServer : PruneAttemptsSqlLimit, parameters);
        var sessions = await connection.ExecuteAsync(sqlServer ? PruneSessionsSqlSqlServer : PruneSessionsSqlLimit, parameters);
        if (codes + attempts + sessions > 0)
        {
            LogPruned(logger, codes, attempts, sessions, Retention.SignInRecordMonths);
        }

        return (codes, attempts, sessions);
    }

    [LoggerMessage(LogLevel.Information,
        "Deleted sign-in records kept their {Months} months: {Codes} SMS codes, {Attempts} officer sign-in attempts, {Sessions} sessions")]
    private static partial void LogPruned(ILogger logger, int codes, int attempts, int sessions, int months);
}
