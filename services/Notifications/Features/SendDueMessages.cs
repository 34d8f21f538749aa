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

    private long _passes;

    private const string DueFilter = """
        status IN (@Pending, @Retrying) AND next_attempt_at <= @Now AND (claimed_until IS NULL OR claimed_until < @Now)
        """;

    // One statement leases the pass's batch: the outer filter is checked again on each row, so of two senders that
    // picked the same row only the first to update it holds it.
    private const string ClaimSqlSqlite = $"""
        UPDATE notification_messages SET claimed_by = @Claim, claimed_until = @Until
        WHERE id IN (SELECT id FROM notification_messages WHERE {DueFilter} ORDER BY next_attempt_at, id LIMIT @Limit)
          AND {DueFilter}
        """;

    private const string ClaimSqlPostgres = ClaimSqlSqlite;

    private const string ClaimSqlSqlServer = $"""
        UPDATE notification_messages SET claimed_by = @Claim, claimed_until = @Until
        WHERE id IN (SELECT TOP (@Limit) id FROM notification_messages WHERE {DueFilter} ORDER BY next_attempt_at, id)
          AND {DueFilter}
        """;

    private const string ClaimedSql = """
        SELECT m.id AS Id, m.template AS Template, m.application_id AS ApplicationId, m.parameters AS Parameters,
               m.attempts AS Attempts, m.created_at AS CreatedAt,
               c.application_number AS ApplicationNumber, c.county_code AS CountyCode, c.phone AS Phone
        FROM notification_messages m LEFT JOIN notification_contacts c ON c.application_id = m.application_id
        WHERE m.claimed_by = @Claim
        ORDER BY m.next_attempt_at, m.id
        """;

    private const string SentTodaySql = """
        SELECT COUNT(*) FROM notification_messages WHERE phone_digest = @Digest AND sent_on = @Today AND status = @Sent
        """;

    private const string SentSql = """
        UPDATE notification_messages
        SET status = @Sent, attempts = attempts + 1, sent_at = @Now, sent_on = @Today, body = @Body, phone_masked = @Masked,
            phone_digest = @Digest, note = NULL, claimed_by = NULL, claimed_until = NULL, next_attempt_at = NULL
        WHERE id = @Id AND claimed_by = @Claim
        """;

    private const string FailedSql = """
        UPDATE notification_messages
        SET status = @Status, attempts = attempts + 1, note = @Note, body = @Body, phone_masked = @Masked,
            next_attempt_at = @NextAttemptAt, claimed_by = NULL, claimed_until = NULL
        WHERE id = @Id AND claimed_by = @Claim
        """;

    private const string DeferSql = """
        UPDATE notification_messages
        SET note = @Note, next_attempt_at = @NextAttemptAt, claimed_by = NULL, claimed_until = NULL
        WHERE id = @Id AND claimed_by = @Claim
        """;

    private const string ReleaseSql = """
        UPDATE notification_messages SET claimed_by = NULL, claimed_until = NULL WHERE id = @Id AND claimed_by = @Claim
        """;

    /// <summary>
    /// One pass; returns how many messages were due (a full batch means more may be waiting). The batch is leased,
    /// read and its numbers' sends today counted in one transaction, and every outcome written in one more after the
    /// sends: two commits a pass, one when nothing is due. A sender that dies between a send and the outcome leaves
    /// the lease to run out; the next sender sends again with the same message id, which the gateway does not repeat.
    /// </summary>
    public async Task<int> RunOnceAsync(SmsGatewayClient gateway, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var claim = $"{sender}/{Interlocked.Increment(ref _passes)}";
        var today = ChinaTime.DateOf(now);
        List<ClaimedRow> batch;
        var sentToday = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var session = await database.BeginAsync(cancellationToken))
        {
            var claimed = await session.ExecuteAsync(ClaimSql(database.Dialect), new
            {
                Claim = claim,
                Until = now + settings.Lease,
                Now = now,
                MessageStatus.Pending,
                MessageStatus.Retrying,
                Limit = NotificationSettings.BatchSize,
            });
            batch = claimed == 0 ? [] : (await session.QueryAsync<ClaimedRow>(ClaimedSql, new { Claim = claim })).AsList();
            foreach (var digest in batch.Where(m => m.Phone is not null).Select(m => PhoneNumbers.Digest(m.Phone!)).Distinct())
            {
                sentToday[digest] = await session.ExecuteScalarAsync<long>(SentTodaySql, new { Digest = digest, Today = today, MessageStatus.Sent });
            }

            await session.CommitAsync(cancellationToken);
        }

        if (batch.Count == 0)
        {
            return 0;
        }

        var outcomes = new List<(string Sql, object Parameters)>(batch.Count);
        foreach (var message in batch)
        {
            // Past half the lease (a slow gateway), the rest go back for the next pass rather than risk a lapsed lease.
            outcomes.Add(time.GetUtcNow() - now > settings.Lease / 2
                ? (ReleaseSql, new { message.Id, Claim = claim })
                : await SendOneAsync(gateway, message, claim, now, today, sentToday, cancellationToken));
        }

        await using (var session = await database.BeginAsync(CancellationToken.None))
        {
            foreach (var (sql, parameters) in outcomes)
            {
                await session.ExecuteAsync(sql, parameters);
            }

            await session.CommitAsync(CancellationToken.None);
        }

        return batch.Count;
    }

    /// <summary>Sends one leased message, or decides not to yet; returns the statement that records what happened.</summary>
    private async Task<(string Sql, object Parameters)> SendOneAsync(
        SmsGatewayClient gateway, ClaimedRow message, string claim, DateTimeOffset now, DateOnly today,
        Dictionary<string, long> sentToday, CancellationToken cancellationToken)
    {
        var id = message.Id;
        if (message.Phone is null)
        {
            // The application's contact has not arrived yet (events travel on different queues): wait a little.
            return now - message.CreatedAt > NotificationSettings.ContactWait
                ? Fail(message, claim, "没有该申请的联系电话", null, null)
                : Defer(id, claim, "等待申请的联系电话", now + TimeSpan.FromSeconds(5));
        }

        var template = templates.Get(message.Template);
        var text = Render(template, message);
        var masked = PhoneNumbers.Mask(message.Phone);
        if (!Mobile().IsMatch(message.Phone))
        {
            return Fail(message, claim, "联系电话不是手机号码，无法发送短信", text, masked);
        }

        var quiet = new QuietHours(settings.QuietHoursStart, settings.QuietHoursEnd);
        if (!template.Urgent && quiet.Contains(now))
        {
            return Defer(id, claim, $"夜间免打扰，顺延至{settings.QuietHoursEnd:00}:00发送", quiet.EndAfter(now));
        }

        var digest = PhoneNumbers.Digest(message.Phone);
        if (sentToday.GetValueOrDefault(digest) >= settings.DailyCapPerNumber)
        {
            return Defer(id, claim, $"该号码今日短信已达{settings.DailyCapPerNumber}条上限，次日发送", quiet.NextMorning(now));
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
            return (FailedSql, new
            {
                Id = id,
                Claim = claim,
                Status = giveUp ? MessageStatus.Failed : MessageStatus.Retrying,
                Note = Clip(ex.Message),
                Body = text,
                Masked = masked,
                NextAttemptAt = giveUp ? (DateTimeOffset?)null : time.GetUtcNow() + retryIn,
            });
        }

        sentToday[digest] = sentToday.GetValueOrDefault(digest) + 1;
        return (SentSql, new
        {
            Id = id,
            Claim = claim,
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

    private (string Sql, object Parameters) Fail(ClaimedRow message, string claim, string note, string? body, string? masked)
    {
        LogGivenUp(logger, message.Template, message.ApplicationId, note);
        return (FailedSql, new
        {
            message.Id,
            Claim = claim,
            Status = MessageStatus.Failed,
            Note = note,
            Body = body,
            Masked = masked,
            NextAttemptAt = (DateTimeOffset?)null,
        });
    }

    private static (string Sql, object Parameters) Defer(Guid id, string claim, string note, DateTimeOffset until) =>
        (DeferSql, new { Id = id, Claim = claim, Note = note, NextAttemptAt = until });

    private static string Clip(string text) => text.Length <= 500 ? text : text[..500];

    private static string ClaimSql(SqlDialect dialect) => dialect switch
    {
        SqlDialect.SqlServer => ClaimSqlSqlServer,
        SqlDialect.PostgreSql => ClaimSqlPostgres,
        _ => ClaimSqlSqlite,
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
