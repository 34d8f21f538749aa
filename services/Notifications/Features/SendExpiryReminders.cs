using System.Globalization;
using System.Text;
using Dapper;
using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Notifications.Features;

/// <summary>
/// Licence expiry, on China days: each reminder due today or earlier is leased to this pass, checked against the
/// licence as it is now (renewed, revoked, or past its 90-day reminder's useful time: cancelled) and turned into a
/// message for the sender, in one transaction that also marks it done. Then, for the current month, each county with
/// licences expiring next month gets its clerk's notice, once (the month's row is the key).
/// </summary>
public sealed class SendExpiryReminders(ServiceDatabase<NotificationsModule> database, NotificationSettings settings, TimeProvider time)
{
    private readonly string sender = $"{Guid.NewGuid():N}/{Environment.ProcessId}";

    private const string DueFilter = """
        FROM notification_reminders
        WHERE status = @Due AND due_on <= @Today AND (claimed_until IS NULL OR claimed_until < @Now)
        """;

    private const string DueSqlSqlite = "SELECT id " + DueFilter + " ORDER BY due_on, id LIMIT @Limit";

    private const string DueSqlPostgres = DueSqlSqlite;

    private const string DueSqlSqlServer = "SELECT TOP (@Limit) id " + DueFilter + " ORDER BY due_on, id";

    private const string ClaimSql = """
        UPDATE notification_reminders SET claimed_by = @Sender, claimed_until = @Until
        WHERE id = @Id AND status = @Due AND (claimed_until IS NULL OR claimed_until < @Now)
        """;

    private const string ReminderSql = """
        SELECT r.licence_number AS LicenceNumber, r.valid_to AS ValidTo, r.days_before AS DaysBefore,
               l.application_id AS ApplicationId, l.valid_to AS CurrentValidTo, l.revoked AS Revoked,
               (SELECT COUNT(*) FROM notification_contacts c WHERE c.application_id = l.application_id) AS Contacts
        FROM notification_reminders r LEFT JOIN notification_licences l ON l.licence_number = r.licence_number
        WHERE r.id = @Id AND r.claimed_by = @Sender AND r.status = @Due
        """;

    private const string FinishSql = """
        UPDATE notification_reminders SET status = @Status, done_at = @Now, claimed_by = NULL, claimed_until = NULL
        WHERE id = @Id AND claimed_by = @Sender
        """;

    private const string CountiesSql = """
        SELECT DISTINCT county_code FROM notification_licences
        WHERE revoked = 0 AND valid_to >= @From AND valid_to < @Until
          AND county_code NOT IN (SELECT county_code FROM clerk_notices WHERE month = @Month)
        """;

    private const string ExpiringSql = """
        SELECT licence_number AS LicenceNumber, holder_name AS HolderName, valid_to AS ValidTo
        FROM notification_licences
        WHERE county_code = @CountyCode AND revoked = 0 AND valid_to >= @From AND valid_to < @Until
        ORDER BY valid_to, licence_number
        """;

    private const string NoticeSql = """
        INSERT INTO clerk_notices (county_code, month, licence_count, body, created_at)
        SELECT @CountyCode, @Month, @LicenceCount, @Body, @Now
        WHERE NOT EXISTS (SELECT 1 FROM clerk_notices WHERE county_code = @CountyCode AND month = @Month)
        """;

    /// <summary>One pass; returns how many reminders were due (a full batch means more may be waiting).</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var today = ChinaTime.DateOf(now);
        List<Guid> due;
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            due = (await connection.QueryAsync<Guid>(DueSql(database.Dialect), new
            {
                LicenceCopy.Due,
                Today = today,
                Now = now,
                Limit = NotificationSettings.BatchSize,
            })).AsList();
        }

        foreach (var id in due)
        {
            await RemindAsync(id, today, cancellationToken);
        }

        await WriteClerkNoticesAsync(today, cancellationToken);
        return due.Count;
    }

    private async Task RemindAsync(Guid id, DateOnly today, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var session = await database.BeginAsync(cancellationToken);
        var claimed = await session.ExecuteAsync(ClaimSql, new { Id = id, Sender = sender, Until = now + settings.Lease, Now = now, LicenceCopy.Due });
        if (claimed == 0)
        {
            return;
        }

        var reminder = await session.QuerySingleOrDefaultAsync<ReminderRow>(ReminderSql, new { Id = id, Sender = sender, LicenceCopy.Due })
            ?? throw new InvalidOperationException($"Reminder {id} was claimed but cannot be read back.");
        var renewBy = reminder.ValidTo.AddDays(-LicenceCopy.RenewalLeadDays);
        // An imported licence has no phone number here until its holder applies for something: no SMS to fail.
        var stillDue = reminder.ApplicationId is { } applicationId
            && reminder.Contacts > 0
            && reminder.Revoked == 0
            && reminder.CurrentValidTo == reminder.ValidTo
            && today <= reminder.ValidTo
            // A 90-day reminder that comes too late for the renewal window is left to the 30-day one.
            && (reminder.DaysBefore <= LicenceCopy.RenewalLeadDays || today < renewBy);
        if (stillDue)
        {
            await Outgoing.QueueAsync(session, $"ExpiryReminder{reminder.DaysBefore}", reminder.ApplicationId!.Value, id,
                new Dictionary<string, string>
                {
                    ["LicenceNumber"] = reminder.LicenceNumber,
                    ["ValidTo"] = ChinaTime.Text(reminder.ValidTo),
                    ["RenewBy"] = ChinaTime.Text(renewBy),
                },
                now);
        }

        await session.ExecuteAsync(FinishSql, new
        {
            Id = id,
            Sender = sender,
            Status = stillDue ? LicenceCopy.Done : LicenceCopy.Cancelled,
            Now = now,
        });
        await session.CommitAsync(cancellationToken);
    }

    private async Task WriteClerkNoticesAsync(DateOnly today, CancellationToken cancellationToken)
    {
        var month = MonthOf(today);
        var from = new DateOnly(today.Year, today.Month, 1).AddMonths(1);
        var until = from.AddMonths(1);
        await using var connection = await database.OpenAsync(cancellationToken);
        var counties = (await connection.QueryAsync<string>(CountiesSql, new { From = from, Until = until, Month = month })).AsList();
        foreach (var county in counties)
        {
            var licences = (await connection.QueryAsync<ExpiringRow>(ExpiringSql, new { CountyCode = county, From = from, Until = until })).AsList();
            var body = new StringBuilder($"{from.Year}年{from.Month}月到期的烟草专卖零售许可证共{licences.Count}件，请提醒持证人于到期30日前申请延续：");
            foreach (var licence in licences)
            {
                body.Append(CultureInfo.InvariantCulture, $"\n{licence.LicenceNumber} {licence.HolderName} 有效期至{ChinaTime.Text(licence.ValidTo)}");
            }

            // Two replicas may both get here: the NOT EXISTS guard or the key keeps one notice.
            await connection.ExecuteAsync(NoticeSql, new
            {
                CountyCode = county,
                Month = month,
                LicenceCount = licences.Count,
                Body = body.ToString(),
                Now = time.GetUtcNow(),
            });
        }
    }

    /// <summary>A month as notices are keyed: 2026-05.</summary>
    public static string MonthOf(DateOnly day) => ChinaTime.Text(day)[..7];

    private static string DueSql(SqlDialect dialect) => dialect switch
    {
        SqlDialect.SqlServer => DueSqlSqlServer,
        SqlDialect.PostgreSql => DueSqlPostgres,
        _ => DueSqlSqlite,
    };

    private sealed class ReminderRow
    {
        public string LicenceNumber { get; init; } = "";
        public DateOnly ValidTo { get; init; }
        public int DaysBefore { get; init; }
        public Guid? ApplicationId { get; init; }
        public DateOnly? CurrentValidTo { get; init; }
        public int? Revoked { get; init; }
        public long Contacts { get; init; }
    }

    private sealed class ExpiringRow
    {
        public string LicenceNumber { get; init; } = "";
        public string HolderName { get; init; } = "";
        public DateOnly ValidTo { get; init; }
    }
}
