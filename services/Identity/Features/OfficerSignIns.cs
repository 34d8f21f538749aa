using Microsoft.Extensions.Options;
using Permits.Shared.Data;

namespace Permits.Identity.Features;

/// <summary>
/// The outcome of an officer's sign-in attempt: the officer, or a message for the person (Chinese);
/// <paramref name="MustChangePassword"/> when the password was right but temporary and no acceptable new one came with it.
/// </summary>
public sealed record OfficerSignInResult(OfficerRow? Officer, string? Error, bool MustChangePassword = false);

/// <summary>
/// An officer's username and password, checked with limits on guessing (口令防暴力破解): after
/// <see cref="SignInLimits.OfficerMaxFailures"/> wrong passwords in a row an account is locked for
/// <see cref="SignInLimits.LockoutMinutes"/> — the right password too is refused meanwhile — and one client address
/// may fail <see cref="SignInLimits.ClientMaxFailures"/> times in that period across all accounts. Unknown usernames
/// are counted and locked the same way, so the answers never tell whether an account exists. Every attempt is
/// recorded (identity_sign_in_attempts): who, when, from where, and the outcome. A deactivated account is refused even
/// with the right password; a temporary password (set by the 系统管理员) signs in only together with a new password
/// (<paramref name="newPassword"/>), which replaces it.
/// </summary>
public sealed class OfficerSignIns(
    ServiceDatabase<IdentityModule> database, TimeProvider time, IOptions<IdentitySettings> settings)
{
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Locked = "locked";
    public const string Throttled = "throttled";
    public const string Deactivated = "deactivated";
    public const string PasswordChangeRequired = "must-change";
    public const string PasswordChanged = "password-changed";

    public const string LastSuccessSql = """
        SELECT MAX(attempted_at) FROM identity_sign_in_attempts WHERE username = @Username AND outcome IN ('succeeded', 'password-changed')
        """;

    public const string AccountFailuresSql = """
        SELECT COUNT(*) FROM identity_sign_in_attempts
        WHERE username = @Username AND outcome = 'failed' AND attempted_at >= @Since
        """;

    public const string ClientFailuresSql = """
        SELECT COUNT(*) FROM identity_sign_in_attempts
        WHERE client_address = @ClientAddress AND outcome = 'failed' AND attempted_at >= @Since
        """;

    public const string RecordSql = """
        INSERT INTO identity_sign_in_attempts (id, username, client_address, attempted_at, outcome)
        VALUES (@Id, @Username, @ClientAddress, @AttemptedAt, @Outcome)
        """;

    private const string WrongPassword = "用户名或密码不正确，请重新输入。";

    /// <summary>The spaces of the attempt's locks (<see cref="LimitLocks.TakeAsync"/>), taken in this order: the account's, then the client address's.</summary>
    private const int AccountLocks = 7262011, ClientLocks = 7262012;

    public async Task<OfficerSignInResult> SignInAsync(
        string username, string password, string? clientAddress, CancellationToken cancellationToken,
        string? newPassword = null, string? confirmation = null)
    {
        var limits = settings.Value.Limits;
        var name = Truncate(username.Trim().ToLowerInvariant(), 100);
        var client = Truncate(string.IsNullOrEmpty(clientAddress) ? "unknown" : clientAddress, 64);
        var now = time.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        var windowStart = (now - TimeSpan.FromMinutes(limits.LockoutMinutes)).ToUnixTimeMilliseconds();

        await using var session = await database.BeginAsync(cancellationToken);
        // One attempt per account and one per client address at a time: thirty guesses sent at once, at one account or
        // at many from one address, are counted one after the other. Key locks that end with the transaction, so a
        // guessed username leaves no row behind.
        await LimitLocks.TakeAsync(session, AccountLocks, name);
        await LimitLocks.TakeAsync(session, ClientLocks, client);
        var lastSuccess = await session.ExecuteScalarAsync<long?>(LastSuccessSql, new { Username = name }) ?? 0;
        var since = Math.Max(windowStart, lastSuccess + 1);
        var accountFailures = await session.ExecuteScalarAsync<long>(AccountFailuresSql, new { Username = name, Since = since });
        var clientFailures = await session.ExecuteScalarAsync<long>(ClientFailuresSql, new { ClientAddress = client, Since = windowStart });

        string outcome;
        OfficerSignInResult result;
        if (accountFailures >= limits.OfficerMaxFailures)
        {
            outcome = Locked;
            result = new(null, $"密码错误次数过多，该账号已临时锁定，请 {limits.LockoutMinutes} 分钟后再试；如忘记密码，请联系本局系统管理员。");
        }
        else if (clientFailures >= limits.ClientMaxFailures)
        {
            outcome = Throttled;
            result = new(null, $"本网络地址登录失败次数过多，请 {limits.LockoutMinutes} 分钟后再试。");
        }
        else
        {
            var officer = await Officers.VerifyAsync(session, name, password);
            (outcome, result) = officer switch
            {
                null => (Failed, new OfficerSignInResult(null, WrongPassword)),
                { IsActive: false } => (Deactivated, new OfficerSignInResult(null, "该账号已停用，请联系本局系统管理员。")),
                { PasswordChangeRequired: not 0 } => await ReplaceTemporaryAsync(session, officer, password, newPassword, confirmation, nowMs),
                _ => (Succeeded, new OfficerSignInResult(officer, null)),
            };
        }

        await session.ExecuteAsync(RecordSql, new
        {
            Id = Guid.NewGuid().ToString("N"),
            Username = name,
            ClientAddress = client,
            AttemptedAt = nowMs,
            Outcome = outcome,
        });
        await session.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>The temporary password was right: signed in only if an acceptable new password replaces it now.</summary>
    private static async Task<(string, OfficerSignInResult)> ReplaceTemporaryAsync(
        DbSession session, OfficerRow officer, string password, string? newPassword, string? confirmation, long now)
    {
        if (newPassword is null)
        {
            return (PasswordChangeRequired, new OfficerSignInResult(null, "这是系统管理员设置的临时密码，请先设置新密码再登录。", MustChangePassword: true));
        }

        if (Officers.NewPasswordProblem(password, newPassword, confirmation ?? "") is { } problem)
        {
            return (PasswordChangeRequired, new OfficerSignInResult(null, problem, MustChangePassword: true));
        }

        await session.ExecuteAsync(Officers.ChangePasswordSql, new { officer.Username, PasswordHash = Officers.Hash(newPassword), UpdatedAt = now });
        return (PasswordChanged, new OfficerSignInResult(officer, null));
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}
