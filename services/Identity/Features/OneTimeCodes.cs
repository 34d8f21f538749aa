using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Extensions.Options;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Hosting;

namespace Permits.Identity.Features;

/// <summary>The outcome of asking for or checking a code: success, or a message for the person (Chinese).</summary>
public sealed record CodeResult(bool Succeeded, string? Error)
{
    public static readonly CodeResult Ok = new(true, null);

    public static CodeResult Fail(string error) => new(false, error);
}

/// <summary>
/// Sign-in codes sent by SMS (短信验证码): six digits, valid 5 minutes, at most 5 wrong tries, at most one code per
/// minute and 10 per day (China time) per number. Only a salted hash of the code is stored. Beyond one number, so
/// that nobody can send codes to a list of numbers (短信轰炸) or run up the SMS bill: at most
/// <see cref="SignInLimits.SmsNumbersPerClientPerHour"/> different numbers per client address and
/// <see cref="SignInLimits.SmsCodesPerHour"/> codes in all, per hour, counted in the database for every replica.
/// </summary>
public sealed partial class OneTimeCodes(
    ServiceDatabase<IdentityModule> database, SmsGateway sms, TimeProvider time, IOptions<IdentitySettings> settings)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);
    public const int MaxAttempts = 5;
    public const int MaxPerDay = 10;


    public const string RecentSql = """
        SELECT id AS Id, code_hash AS CodeHash, issued_at AS IssuedAt, expires_at AS ExpiresAt,
               failed_attempts AS FailedAttempts, used_at AS UsedAt
        FROM identity_sms_codes WHERE phone_number = @PhoneNumber AND issued_at >= @Since
        """;

    /// <summary>
    /// Adds the code unless the codes of the last hour, all numbers together, already reach the overall limit: the
    /// count and the insert in one statement, taken under the lock of every send.
    /// </summary>
    public const string InsertUnderTotalSql = """
        INSERT INTO identity_sms_codes (id, phone_number, code_hash, issued_at, expires_at, failed_attempts, client_address)
        SELECT @Id, @PhoneNumber, @CodeHash, @IssuedAt, @ExpiresAt, 0, @ClientAddress
        WHERE (SELECT COUNT(*) FROM identity_sms_codes WHERE issued_at >= @HourAgo) < @CodesPerHour
        """;

    /// <summary>On PostgreSQL the lock of every send and the insert go in one round trip, the lock first.</summary>
    public const string LockedInsertUnderTotalSqlPostgres = LimitLocks.TakeSqlPostgres + ";\n" + InsertUnderTotalSql;

    /// <summary>
    /// The number's codes of today (its limits), then how many other numbers this client address had codes sent to in
    /// the last hour: read together, under the locks of the number and of the address.
    /// </summary>
    public const string LimitsSql = RecentSql + ";\n" + """
        SELECT COUNT(DISTINCT phone_number) FROM identity_sms_codes
        WHERE client_address = @ClientAddress AND issued_at >= @HourAgo AND phone_number <> @PhoneNumber
        """;

    /// <summary>On PostgreSQL the number's and the address's locks, in this order, go in the same round trip as the reads.</summary>
    public const string LockedLimitsSqlPostgres = """
        SELECT pg_advisory_xact_lock(@NumberLocks, hashtext(@PhoneNumber));
        SELECT pg_advisory_xact_lock(@ClientLocks, hashtext(@ClientAddress));
        """ + LimitsSql;

    /// <summary>
    /// The spaces of the locks (<see cref="LimitLocks.TakeAsync"/>) that make the limits exact, taken in this order:
    /// the number's (one a minute, ten a day), the client address's (numbers an hour), then every send's (codes an
    /// hour in all). Only the last is shared by all sign-ins, and it is held for one statement and the commit.
    /// </summary>
    private const int NumberLocks = 7262001, ClientLocks = 7262002, TotalLock = 7262003;

    public const string DeleteSql = "DELETE FROM identity_sms_codes WHERE id = @Id";

    public const string FailSql = """
        UPDATE identity_sms_codes SET failed_attempts = failed_attempts + 1 WHERE id = @Id AND used_at IS NULL
        """;

    /// <summary>Marks the code used once: a second, concurrent use of the same code finds no row to update.</summary>
    public const string UseSql = """
        UPDATE identity_sms_codes SET used_at = @UsedAt
        WHERE id = @Id AND used_at IS NULL AND failed_attempts < @MaxAttempts
        """;

    public static bool IsMobileNumber(string? phone) => phone is not null && MobileNumber().IsMatch(phone);

    public async Task<CodeResult> SendAsync(string phoneNumber, string? clientAddress, CancellationToken cancellationToken)
    {
        try
        {
            return await SendOnceAsync(phoneNumber, clientAddress, cancellationToken);
        }
        catch (Exception ex) when (GrpcErrorInterceptor.IsTransient(ex))
        {
            // A pooled connection the restarted database had dropped (and with it every other idle one): once more, on
            // a new connection. Nothing was sent: the SMS goes only after the code's commit.
            database.ClearPool();
            return await SendOnceAsync(phoneNumber, clientAddress, cancellationToken);
        }
    }

    private async Task<CodeResult> SendOnceAsync(string phoneNumber, string? clientAddress, CancellationToken cancellationToken)
    {
        if (!IsMobileNumber(phoneNumber))
        {
            return CodeResult.Fail("请输入 11 位中国大陆手机号码，例如 13800571234。");
        }

        var now = time.GetUtcNow();
        var id = Guid.NewGuid().ToString("N");
        var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6");
        var limits = settings.Value.Limits;
        var client = string.IsNullOrEmpty(clientAddress) ? "unknown" : clientAddress[..Math.Min(64, clientAddress.Length)];
        var hourAgo = (now - TimeSpan.FromHours(1)).ToUnixTimeMilliseconds();
        await using (var session = await database.BeginAsync(cancellationToken))
        {
            // Sends for one number take turns, and sends from one client address: so the counts below include the codes
            // just issued for the number, and to the address. Sends for other numbers from other addresses do not wait.
            var parameters = new
            {
                PhoneNumber = phoneNumber, Since = StartOfChinaDay(now).ToUnixTimeMilliseconds(), ClientAddress = client, HourAgo = hourAgo,
                NumberLocks, ClientLocks,
            };
            var postgres = session.Dialect == SqlDialect.PostgreSql;
            if (!postgres)
            {
                await LimitLocks.TakeAsync(session, NumberLocks, phoneNumber);
                await LimitLocks.TakeAsync(session, ClientLocks, client);
            }

            List<CodeRow> today;
            long numbers;
            using (var read = await session.Connection.QueryMultipleAsync(
                       postgres ? LockedLimitsSqlPostgres : LimitsSql, parameters, session.Transaction))
            {
                if (postgres)
                {
                    // The two locks' results (void), before the reads they guard.
                    await read.ReadAsync();
                    await read.ReadAsync();
                }

                today = (await read.ReadAsync<CodeRow>()).ToList();
                numbers = await read.ReadSingleAsync<long>();
            }

            var last = today.MaxBy(c => c.IssuedAt);
            if (last is not null && now - DateTimeOffset.FromUnixTimeMilliseconds(last.IssuedAt) < Interval)
            {
                var wait = Interval - (now - DateTimeOffset.FromUnixTimeMilliseconds(last.IssuedAt));
                return CodeResult.Fail($"验证码已发送，请 {Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))} 秒后再重新获取。");
            }

            if (today.Count >= MaxPerDay)
            {
                return CodeResult.Fail($"该手机号今天已获取 {MaxPerDay} 次验证码，已达上限，请明天再试。");
            }

            if (numbers >= limits.SmsNumbersPerClientPerHour)
            {
                return CodeResult.Fail("本网络地址获取验证码的手机号过多，请 1 小时后再试，或到办事大厅办理。");
            }

            // The overall limit is the one all sends share: its lock is taken last, so it is held only for the count and
            // insert and the commit, not while the number's and the address's limits are read.
            var row = new
            {
                Id = id,
                PhoneNumber = phoneNumber,
                CodeHash = Hash(id, code),
                IssuedAt = now.ToUnixTimeMilliseconds(),
                ExpiresAt = (now + Lifetime).ToUnixTimeMilliseconds(),
                ClientAddress = client,
                HourAgo = hourAgo,
                CodesPerHour = limits.SmsCodesPerHour,
                Space = TotalLock,
                Key = "sms",
            };
            if (!postgres)
            {
                await LimitLocks.TakeAsync(session, TotalLock, row.Key);
            }

            if (await session.ExecuteAsync(postgres ? LockedInsertUnderTotalSqlPostgres : InsertUnderTotalSql, row) == 0)
            {
                return CodeResult.Fail("当前获取验证码的人数过多，请稍后再试。");
            }

            await session.CommitAsync(cancellationToken);
        }

        if (!await sms.SendAsync(phoneNumber, $"【烟草专卖许可证网上办理】您的登录验证码为 {code}，5 分钟内有效。请勿告诉他人。", cancellationToken))
        {
            // Not sent: do not count it against the person's limits.
            await using var session = await database.BeginAsync(cancellationToken);
            await session.ExecuteAsync(DeleteSql, new { Id = id });
            await session.CommitAsync(cancellationToken);
            return CodeResult.Fail("短信发送失败，请稍后再试。");
        }

        return CodeResult.Ok;
    }

    /// <summary>
    /// Checks the code; when it is right, uses it up and runs <paramref name="signIn"/> (the person's subject and new
    /// session) in the same transaction, so a sign-in is one commit and a code is used only by a sign-in that happened.
    /// </summary>
    public async Task<CodeResult> VerifyAsync(
        string phoneNumber, string? code, Func<DbSession, Task> signIn, CancellationToken cancellationToken)
    {
        if (!IsMobileNumber(phoneNumber))
        {
            return CodeResult.Fail("请输入 11 位中国大陆手机号码，例如 13800571234。");
        }

        code = code?.Trim();
        if (code is null || code.Length != 6 || !code.All(char.IsAsciiDigit))
        {
            return CodeResult.Fail("请输入短信中的 6 位数字验证码。");
        }

        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await VerifyOnceAsync(phoneNumber, code, signIn, cancellationToken);
            }
            catch (DbException ex) when (attempt == 0)
            {
                // The sign-in's insert met a concurrent one (the same number's first sign-in, twice at once): all of it
                // rolled back, the code too; the second try reads what the other committed. Or the connection was one
                // the restarted database had dropped, as every other idle one: the second try takes a new one.
                if (GrpcErrorInterceptor.IsTransient(ex))
                {
                    database.ClearPool();
                }
            }
        }
    }

    private async Task<CodeResult> VerifyOnceAsync(
        string phoneNumber, string code, Func<DbSession, Task> signIn, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var session = await database.BeginAsync(cancellationToken);
        var latest = (await RecentAsync(session, phoneNumber, now - TimeSpan.FromDays(1))).MaxBy(c => c.IssuedAt);
        if (latest is null || latest.UsedAt is not null)
        {
            return CodeResult.Fail("请先点击“获取验证码”。");
        }

        if (now.ToUnixTimeMilliseconds() >= latest.ExpiresAt)
        {
            return CodeResult.Fail("验证码已过期（有效期 5 分钟），请重新获取。");
        }

        if (latest.FailedAttempts >= MaxAttempts)
        {
            return CodeResult.Fail("验证码输错次数过多，已失效，请重新获取。");
        }

        if (!CryptographicOperations.FixedTimeEquals(
                Encoding.ASCII.GetBytes(latest.CodeHash), Encoding.ASCII.GetBytes(Hash(latest.Id, code))))
        {
            await session.ExecuteAsync(FailSql, new { latest.Id });
            await session.CommitAsync(cancellationToken);
            var left = MaxAttempts - latest.FailedAttempts - 1;
            return CodeResult.Fail(left > 0
                ? $"验证码不正确，还可以再试 {left} 次。"
                : "验证码输错次数过多，已失效，请重新获取。");
        }

        // A second, concurrent use of the same code waits here for the first and then finds no row to update.
        if (await session.ExecuteAsync(UseSql, new { latest.Id, UsedAt = now.ToUnixTimeMilliseconds(), MaxAttempts }) != 1)
        {
            return CodeResult.Fail("验证码已使用，请重新获取。");
        }

        await signIn(session);
        await session.CommitAsync(cancellationToken);
        return CodeResult.Ok;
    }

    private static async Task<List<CodeRow>> RecentAsync(DbSession session, string phoneNumber, DateTimeOffset since) =>
        (await session.QueryAsync<CodeRow>(RecentSql, new { PhoneNumber = phoneNumber, Since = since.ToUnixTimeMilliseconds() })).ToList();

    private static DateTimeOffset StartOfChinaDay(DateTimeOffset now) => ChinaTime.StartOf(ChinaTime.DateOf(now));

    private static string Hash(string id, string code) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id + ":" + code)));

    [GeneratedRegex(@"^1[3-9]\d{9}$")]
    private static partial Regex MobileNumber();

    private sealed class CodeRow
    {
        public string Id { get; init; } = "";
        public string CodeHash { get; init; } = "";
        public long IssuedAt { get; init; }
        public long ExpiresAt { get; init; }
        public int FailedAttempts { get; init; }
        public long? UsedAt { get; init; }
    }
}

/// <summary>The SMS gateway's HTTP API (POST {base}/api/v1/messages {phone, text} → 202).</summary>
public sealed partial class SmsGateway(HttpClient http, ILogger<SmsGateway> logger)
{
    public async Task<bool> SendAsync(string phoneNumber, string text, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.PostAsJsonAsync("api/v1/messages", new { phone = phoneNumber, text }, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return true;
            }

            LogRefused(logger, (int)response.StatusCode);
            return false;
        }
        catch (HttpRequestException ex)
        {
            LogUnreachable(logger, ex);
            return false;
        }
    }

    [LoggerMessage(LogLevel.Warning, "The SMS gateway refused a message with status {Status}")]
    private static partial void LogRefused(ILogger logger, int status);

    [LoggerMessage(LogLevel.Warning, "The SMS gateway is unreachable")]
    private static partial void LogUnreachable(ILogger logger, Exception exception);
}
