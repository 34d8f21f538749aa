using System.Text.RegularExpressions;
using Dapper;
using Permits.Notifications.Domain;
using Permits.Notifications.Sms;
using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Notifications.Features;

/// <summary>
/// Sends the messages that are due, one batch per pass. Each is first leased to this sender (claimed_by/claimed_until,
/// one conditional UPDATE), so replicas never send one message twice; a sender that dies mid-way leaves a lease that
/// runs out and another takes over, and if it died after the gateway accepted the text, the gateway knows the message's
/// id (<see cref="SmsGatewayClient"/>) and does not send it again. A message that is not urgent waits out quiet hours; one to a number that had its
/// daily share waits for the next morning; a failed send is retried with a capped backoff until
/// <see cref="NotificationSettings.MaxAttempts"/>. Everything is in the database, so a restart carries on.
/// </summary>
public sealed partial class SendDueMessages(
    ServiceDatabase<NotificationsModule> database,
    MessageTemplates templates,
    CountyDirectory counties,
    NotificationSettings settings,
    TimeProvider time,
    ILogger<SendDueMessages> logger)
{
    /// <summary>Who holds a lease: unique to this sender, so a restarted replica is a new one.</summary>
    private readonly string sender = $"{Guid.NewGuid():N}/{Environment.ProcessId}";

    private const string DueFilter = """
        FROM notification_messages
        WHERE status IN (@Pending, @Retrying) AND next_attempt_at <= @Now AND (claimed_until IS NULL OR claimed_until < @Now)
        """;

    private const string DueSqlSqlite = "SELECT id " + DueFilter + " ORDER BY next_attempt_at, id LIMIT @Limit";

    private const string DueSqlPostgres = DueSqlSqlite;

    private const string DueSqlSqlServer = "SELECT TOP (@Limit) id " + DueFilter + " ORDER BY next_attempt_at, id";

    private const string ClaimSql = """
        UPDATE notification_messages SET claimed_by = @Sender, claimed_until = @Until
        WHERE id = @Id AND status IN (@Pending, @Retrying) AND next_attempt_at <= @Now
          AND (claimed_until IS NULL OR claimed_until < @Now)
        """;

    private const string ClaimedSql = """
        SELECT m.id AS Id, m.template AS Template, m.application_id AS ApplicationId, m.parameters AS Parameters,
               m.attempts AS Attempts, m.created_at AS CreatedAt,
               c.application_number AS ApplicationNumber, c.county_code AS CountyCode, c.phone AS Phone
        FROM notification_messages m LEFT JOIN notification_contacts c ON c.application_id = m.application_id
        WHERE m.id = @Id AND m.claimed_by = @Sender
        """;

    private const string SentTodaySql = """
        SELECT COUNT(*) FROM notification_messages WHERE phone_digest = @Digest AND sent_on = @Today AND status = @Sent
        """;

    private const string SentSql = """
        UPDATE notification_messages
        SET status = @Sent, attempts = attempts + 1, sent_at = @Now, sent_on = @Today, body = @Body, phone_masked = @Masked,
            phone_digest = @Digest, note = NULL, claimed_by = NULL, claimed_until = NULL, next_attempt_at = NULL
        WHERE id = @Id AND claimed_by = @Sender
        """;

    private const string FailedSql = """
        UPDATE notification_messages
        SET status = @Status, attempts = attempts + 1, note = @Note, body = @Body, phone_masked = @Masked,
            next_attempt_at = @NextAttemptAt, claimed_by = NULL, claimed_until = NULL
        WHERE id = @Id AND claimed_by = @Sender
        """;

    private const string DeferSql = """
        UPDATE notification_messages
        SET note = @Note, next_attempt_at = @NextAttemptAt, claimed_by = NULL, claimed_until = NULL
        WHERE id = @Id AND claimed_by = @Sender
        """;

    /// <summary>One pass; returns how many messages were due (a full batch means more may be waiting).</summary>
    public async Task<int> RunOnceAsync(SmsGatewayClient gateway, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        List<Guid> due;
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            due = (await connection.QueryAsync<Guid>(DueSql(database.Dialect), new
            {
                MessageStatus.Pending,
                MessageStatus.Retrying,
                Now = now,
                Limit = NotificationSettings.BatchSize,
            })).AsList();
        }

        foreach (var id in due)
        {
            await SendOneAsync(gateway, id, cancellationToken);
        }

        return due.Count;
    }

    private async Task SendOneAsync(SmsGatewayClient gateway, Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var now = time.GetUtcNow();
        var claimed = await connection.ExecuteAsync(ClaimSql, new
        {
            Id = id,
            Sender = sender,
            Until = now + settings.Lease,
            Now = now,
            MessageStatus.Pending,
            MessageStatus.Retrying,
        });
        if (claimed == 0)
        {
            return; // another sender has it, or had it first
        }

        var message = await connection.QuerySingleAsync<ClaimedRow>(ClaimedSql, new { Id = id, Sender = sender });
        if (message.Phone is null)
        {
            // The application's contact has not arrived yet (events travel on different queues): wait a little.
            await (now - message.CreatedAt > NotificationSettings.ContactWait
                ? FailAsync(connection, message, "没有该申请的联系电话", null, null)
                : DeferAsync(connection, id, "等待申请的联系电话", now + TimeSpan.FromSeconds(5)));
            return;
        }

        var template = templates.Get(message.Template);
        var text = Render(template, message);
        var masked = PhoneNumbers.Mask(message.Phone);
        if (!Mobile().IsMatch(message.Phone))
        {
            await FailAsync(connection, message, "联系电话不是手机号码，无法发送短信", text, masked);
            return;
        }

        var quiet = new QuietHours(settings.QuietHoursStart, settings.QuietHoursEnd);
        if (!template.Urgent && quiet.Contains(now))
        {
            await DeferAsync(connection, id, $"夜间免打扰，顺延至{settings.QuietHoursEnd:00}:00发送", quiet.EndAfter(now));
            return;
        }

        var digest = PhoneNumbers.Digest(message.Phone);
        var today = ChinaTime.DateOf(now);
        var sentToday = await connection.ExecuteScalarAsync<long>(SentTodaySql, new { Digest = digest, Today = today, MessageStatus.Sent });
        if (sentToday >= settings.DailyCapPerNumber)
        {
            await DeferAsync(connection, id, $"该号码今日短信已达{settings.DailyCapPerNumber}条上限，次日发送", quiet.NextMorning(now));
            return;
        }

        try
        {
            await gateway.SendAsync(message.Id, message.Phone, text, cancellationToken);
        }
        catch (SmsGatewayException ex)
        {
            var attempts = message.Attempts + 1;
            var giveUp = attempts >= settings.MaxAttempts;
            var retryIn = settings.Backoff(attempts);
            LogSendFailed(logger, ex, message.Template, message.ApplicationNumber ?? "", attempts, giveUp);
            await connection.ExecuteAsync(FailedSql, new
            {
                Id = id,
                Sender = sender,
                Status = giveUp ? MessageStatus.Failed : MessageStatus.Retrying,
                Note = Clip(ex.Message),
                Body = text,
                Masked = masked,
                NextAttemptAt = giveUp ? (DateTimeOffset?)null : time.GetUtcNow() + retryIn,
            });
            return;
        }

        await connection.ExecuteAsync(SentSql, new
        {
            Id = id,
            Sender = sender,
            MessageStatus.Sent,
            Now = time.GetUtcNow(),
            Today = today,
            Body = text,
            Masked = masked,
            Digest = digest,
        });
    }

    private string Render(MessageTemplate template, ClaimedRow message)
    {
        var values = new Dictionary<string, string>(Outgoing.ParametersOf(message.Parameters), StringComparer.Ordinal)
        {
            ["ApplicationNumber"] = message.ApplicationNumber ?? "",
            ["Authority"] = counties.TryGet(message.CountyCode ?? "", out var county) ? county.Authority : "烟草专卖局",
        };
        return template.Render(values);
    }

    private Task FailAsync(System.Data.Common.DbConnection connection, ClaimedRow message, string note, string? body, string? masked)
    {
        LogGivenUp(logger, message.Template, message.ApplicationId, note);
        return connection.ExecuteAsync(FailedSql, new
        {
            message.Id,
            Sender = sender,
            Status = MessageStatus.Failed,
            Note = note,
            Body = body,
            Masked = masked,
            NextAttemptAt = (DateTimeOffset?)null,
        });
    }

    private Task DeferAsync(System.Data.Common.DbConnection connection, Guid id, string note, DateTimeOffset until) =>
        connection.ExecuteAsync(DeferSql, new { Id = id, Sender = sender, Note = note, NextAttemptAt = until });

    private static string Clip(string text) => text.Length <= 500 ? text : text[..500];

    private static string DueSql(SqlDialect dialect) => dialect switch
    {
        SqlDialect.SqlServer => DueSqlSqlServer,
        SqlDialect.PostgreSql => DueSqlPostgres,
        _ => DueSqlSqlite,
    };

    [GeneratedRegex(@"^1[3-9]\d{9}$")]
    private static partial Regex Mobile();

    [LoggerMessage(LogLevel.Warning, "Sending {Template} about application {ApplicationNumber} failed (attempt {Attempt}, given up: {GivenUp})")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, string template, string applicationNumber, int attempt, bool givenUp);

    [LoggerMessage(LogLevel.Warning, "Message {Template} about application {ApplicationId} given up: {Reason}")]
    private static partial void LogGivenUp(ILogger logger, string template, Guid applicationId, string reason);

    private sealed class ClaimedRow
    {
        public Guid Id { get; init; }
        public string Template { get; init; } = "";
        public Guid ApplicationId { get; init; }
        public string Parameters { get; init; } = "{}";
        public int Attempts { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public string? ApplicationNumber { get; init; }
        public string? CountyCode { get; init; }
        public string? Phone { get; init; }
    }
}
