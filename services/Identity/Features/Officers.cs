using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Permits.Shared.Data;
using Permits.Shared.Security;

namespace Permits.Identity.Features;

/// <summary>A county officer's account as stored.</summary>
public sealed class OfficerRow
{
    public string Username { get; init; } = "";
    public string Subject { get; init; } = "";
    public string DisplayName { get; init; } = "";
    public string CountyCode { get; init; } = "";
    public string Roles { get; init; } = "";
    public string PasswordHash { get; init; } = "";

    /// <summary>When a 系统管理员 deactivated the account (Unix ms); null while it is in use.</summary>
    public long? DeactivatedAt { get; init; }

    /// <summary>1 while the password is a temporary one (new account, reset) that must be changed at the next sign-in.</summary>
    public int PasswordChangeRequired { get; init; }

    public bool IsActive => DeactivatedAt is null;

    public IReadOnlyList<string> RoleList => Roles.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>Officers sign in with username and password (PBKDF2 via ASP.NET Core's PasswordHasher).</summary>
public sealed class Officers(ServiceDatabase<IdentityModule> database, TimeProvider time)
{
    public const string FindSql = """
        SELECT username AS Username, subject AS Subject, display_name AS DisplayName, county_code AS CountyCode,
               roles AS Roles, password_hash AS PasswordHash, deactivated_at AS DeactivatedAt,
               password_change_required AS PasswordChangeRequired
        FROM identity_officers WHERE username = @Username
        """;

    public const string InsertSql = """
        INSERT INTO identity_officers (username, subject, display_name, county_code, roles, password_hash, updated_at)
        VALUES (@Username, @Subject, @DisplayName, @CountyCode, @Roles, @PasswordHash, @UpdatedAt)
        """;

    public const string UpdateSql = """
        UPDATE identity_officers
        SET display_name = @DisplayName, county_code = @CountyCode, roles = @Roles, password_hash = @PasswordHash, updated_at = @UpdatedAt
        WHERE username = @Username
        """;

    private static readonly PasswordHasher<OfficerRow> Hasher = new();

    // Verified when the user does not exist, so "no such user" and "wrong password" take the same time.
    private static readonly string DummyHash = Hasher.HashPassword(new OfficerRow(), "not-a-password");

    /// <summary>
    /// The officer, or null for an unknown user or a wrong password (the caller cannot tell which). Only
    /// <see cref="OfficerSignIns"/> calls this, inside its limits on guessing.
    /// </summary>
    public static async Task<OfficerRow?> VerifyAsync(DbSession session, string username, string password)
    {
        var officer = await session.QuerySingleOrDefaultAsync<OfficerRow>(FindSql, new { Username = username.Trim().ToLowerInvariant() });
        var result = Hasher.VerifyHashedPassword(officer ?? new OfficerRow(), officer?.PasswordHash ?? DummyHash, password);
        return officer is not null && result != PasswordVerificationResult.Failed ? officer : null;
    }

    public const string InsertFirstSql = """
        INSERT INTO identity_officers (username, subject, display_name, county_code, roles, password_hash, updated_at, password_change_required)
        VALUES (@Username, @Subject, @DisplayName, @CountyCode, @Roles, @PasswordHash, @UpdatedAt, 1)
        """;

    public const string ChangePasswordSql = """
        UPDATE identity_officers SET password_hash = @PasswordHash, password_change_required = 0, updated_at = @UpdatedAt
        WHERE username = @Username
        """;

    public static string Hash(string password) => Hasher.HashPassword(new OfficerRow(), password);

    /// <summary>
    /// The configured accounts. With the demo switch (<c>Identity:DemoAccounts</c>) they are created or updated at every
    /// start (a password re-hashed only when it changed). Without it they only bootstrap a county: an account is created
    /// when its username is not taken (its password to be changed at first sign-in) and never touched again, so the
    /// 系统管理员's changes stand.
    /// </summary>
    public async Task SeedAsync(IEnumerable<OfficerSettings> accounts, bool demo, CancellationToken cancellationToken)
    {
        await using var session = await database.BeginAsync(cancellationToken);
        foreach (var account in accounts)
        {
            Validate(account);
            var username = account.Username.Trim().ToLowerInvariant();
            var existing = await session.QuerySingleOrDefaultAsync<OfficerRow>(FindSql, new { Username = username });
            if (existing is not null && !demo)
            {
                continue;
            }

            var keepHash = existing is not null &&
                           Hasher.VerifyHashedPassword(existing, existing.PasswordHash, account.Password) == PasswordVerificationResult.Success;
            var row = new
            {
                Username = username,
                Subject = existing?.Subject ?? "o-" + username,
                DisplayName = account.Name,
                CountyCode = account.County,
                Roles = string.Join(' ', account.Roles.Distinct()),
                PasswordHash = keepHash ? existing!.PasswordHash : Hash(account.Password),
                UpdatedAt = time.GetUtcNow().ToUnixTimeMilliseconds(),
            };
            await session.ExecuteAsync(existing is not null ? UpdateSql : demo ? InsertSql : InsertFirstSql, row);
        }

        await session.CommitAsync(cancellationToken);
    }

    /// <summary>What is wrong with a new password chosen at sign-in (Chinese), or null.</summary>
    public static string? NewPasswordProblem(string current, string newPassword, string confirmation)
    {
        if (newPassword.Length < 10 || !newPassword.Any(char.IsLetter) || !newPassword.Any(char.IsDigit))
        {
            return "新密码至少 10 位，须同时包含字母和数字。";
        }

        if (newPassword != confirmation)
        {
            return "两次输入的新密码不一致，请重新输入。";
        }

        return newPassword == current ? "新密码不能与临时密码相同。" : null;
    }

    private static void Validate(OfficerSettings account)
    {
        if (string.IsNullOrWhiteSpace(account.Username) || string.IsNullOrWhiteSpace(account.Password) ||
            string.IsNullOrWhiteSpace(account.Name) || account.County.Length != 6 || account.Roles.Count == 0 ||
            account.Roles.Any(r => !PermitsRoles.Officer.Contains(r)))
        {
            throw new InvalidOperationException(
                $"Officer '{account.Username}' needs Username, Password, Name, a six-digit County and Roles among " +
                string.Join(", ", PermitsRoles.Officer) + ".");
        }
    }
}

/// <summary>Seeds the configured officers at start-up, after the schema migration (hosted services start in order).</summary>
public sealed class OfficerSeeder(Officers officers, IOptions<IdentitySettings> settings) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        officers.SeedAsync(settings.Value.Officers, settings.Value.DemoAccounts, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
