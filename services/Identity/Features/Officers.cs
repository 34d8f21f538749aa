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

    public IReadOnlyList<string> RoleList => Roles.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>Officers sign in with username and password (PBKDF2 via ASP.NET Core's PasswordHasher).</summary>
public sealed class Officers(ServiceDatabase<IdentityModule> database, TimeProvider time)
{
    public const string FindSql = """
        SELECT username AS Username, subject AS Subject, display_name AS DisplayName, county_code AS CountyCode,
               roles AS Roles, password_hash AS PasswordHash
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

    /// <summary>Creates or updates the configured accounts; a password is re-hashed only when it changed.</summary>
    public async Task SeedAsync(IEnumerable<OfficerSettings> accounts, CancellationToken cancellationToken)
    {
        await using var session = await database.BeginAsync(cancellationToken);
        foreach (var account in accounts)
        {
            Validate(account);
            var username = account.Username.Trim().ToLowerInvariant();
            var existing = await session.QuerySingleOrDefaultAsync<OfficerRow>(FindSql, new { Username = username });
            var keepHash = existing is not null &&
                           Hasher.VerifyHashedPassword(existing, existing.PasswordHash, account.Password) == PasswordVerificationResult.Success;
            var row = new
            {
                Username = username,
                Subject = existing?.Subject ?? "o-" + username,
                DisplayName = account.Name,
                CountyCode = account.County,
                Roles = string.Join(' ', account.Roles.Distinct()),
                PasswordHash = keepHash ? existing!.PasswordHash : Hasher.HashPassword(new OfficerRow(), account.Password),
                UpdatedAt = time.GetUtcNow().ToUnixTimeMilliseconds(),
            };
            await session.ExecuteAsync(existing is null ? InsertSql : UpdateSql, row);
        }

        await session.CommitAsync(cancellationToken);
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
    public Task StartAsync(CancellationToken cancellationToken) => officers.SeedAsync(settings.Value.Officers, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
