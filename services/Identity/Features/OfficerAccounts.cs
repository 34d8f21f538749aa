using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Dapper;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Permits.Contracts.Identity.V1;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Security;
using Permits.Shared.Steps;

namespace Permits.Identity.Features;

/// <summary>The account changes a 系统管理员 makes, as the officer audit records them (action codes and labels).</summary>
public static class OfficerAccountSteps
{
    private static readonly IReadOnlyList<string> Admin = [PermitsRoles.SystemAdmin];

    public static readonly OfficerStep List = new("ListOfficerAccounts", "查看工作人员账号", Admin);
    public static readonly OfficerStep Create = new("CreateOfficerAccount", "新建账号", Admin);
    public static readonly OfficerStep SetRoles = new("SetOfficerRoles", "调整岗位", Admin);
    public static readonly OfficerStep Deactivate = new("DeactivateOfficerAccount", "停用账号", Admin);
    public static readonly OfficerStep Reactivate = new("ReactivateOfficerAccount", "启用账号", Admin);
    public static readonly OfficerStep ResetPassword = new("ResetOfficerPassword", "重置密码", Admin);

    /// <summary>The steps that change an account (what the change list shows).</summary>
    public static readonly IReadOnlyList<OfficerStep> Changes = [Create, SetRoles, Deactivate, Reactivate, ResetPassword];
}

/// <summary>
/// Bureau administration of officer accounts (系统管理员): list, create, change roles, deactivate and reactivate, reset
/// a password. A county's system-admin administers their county; a provincial one (county claim = the province's
/// division code, 330000) the counties of their province. Every change is audited (officer_audit) with who and when,
/// in the change's own transaction; every refusal too. Changes are effective at once: sign-in reads the row, and
/// deactivating or resetting ends the officer's open sessions. Changes to one county's accounts take turns (a row lock
/// in identity_limit_locks), so two administrators cannot together remove the county's last system-admin.
/// </summary>
public sealed partial class OfficerAccounts(ServiceDatabase<IdentityModule> database, OfficerAudit<IdentityModule> audit, TimeProvider time)
{
    public const string AccountColumns = """
        username AS Username, subject AS Subject, display_name AS DisplayName, county_code AS CountyCode, roles AS Roles,
        password_hash AS PasswordHash, deactivated_at AS DeactivatedAt, password_change_required AS PasswordChangeRequired
        """;

    public const string ByCountySql = $"SELECT {AccountColumns} FROM identity_officers WHERE county_code = @CountyCode ORDER BY username";

    public const string InsertSql = """
        INSERT INTO identity_officers (username, subject, display_name, county_code, roles, password_hash, updated_at, password_change_required)
        VALUES (@Username, @Subject, @DisplayName, @CountyCode, @Roles, @PasswordHash, @UpdatedAt, 1)
        """;

    public const string SubjectTakenSql = "SELECT COUNT(*) FROM identity_officers WHERE subject = @Subject";

    public const string SetRolesSql = "UPDATE identity_officers SET roles = @Roles, updated_at = @UpdatedAt WHERE username = @Username";

    public const string SetDeactivatedSql = """
        UPDATE identity_officers SET deactivated_at = @DeactivatedAt, updated_at = @UpdatedAt WHERE username = @Username
        """;

    public const string SetTemporaryPasswordSql = """
        UPDATE identity_officers SET password_hash = @PasswordHash, password_change_required = 1, updated_at = @UpdatedAt
        WHERE username = @Username
        """;

    public const string ChangesSql = $"""
        SELECT {AuditEntry.Columns} FROM officer_audit
        WHERE subject_county = @CountyCode AND action IN (@Create, @SetRoles, @Deactivate, @Reactivate, @ResetPassword)
        ORDER BY occurred_at DESC, id
        """;

    /// <summary>How many changes the administrator's page lists (the newest).</summary>
    public const int ChangesShown = 200;

    private const string NotFound = "本县（市、区）没有这个用户名的工作人员";

    public async Task<ListOfficerAccountsResponse> ListAsync(ListOfficerAccountsRequest request, ServerCallContext context)
    {
        var admin = await AdminAsync(context, OfficerAccountSteps.List);
        var county = await CountyInScopeAsync(admin, OfficerAccountSteps.List, request.CountyCode, "");
        await using var connection = await database.OpenAsync(context.CancellationToken);
        var response = new ListOfficerAccountsResponse();
        response.Officers.AddRange((await connection.QueryAsync<OfficerRow>(ByCountySql, new { CountyCode = county })).Select(ToMessage));
        return response;
    }

    public async Task<ListOfficerAccountChangesResponse> ChangesAsync(ListOfficerAccountsRequest request, ServerCallContext context)
    {
        var admin = await AdminAsync(context, OfficerAccountSteps.List);
        var county = await CountyInScopeAsync(admin, OfficerAccountSteps.List, request.CountyCode, "");
        await using var connection = await database.OpenAsync(context.CancellationToken);
        var rows = await connection.QueryAsync<AuditEntry>(ChangesSql, new
        {
            CountyCode = county,
            Create = OfficerAccountSteps.Create.Code,
            SetRoles = OfficerAccountSteps.SetRoles.Code,
            Deactivate = OfficerAccountSteps.Deactivate.Code,
            Reactivate = OfficerAccountSteps.Reactivate.Code,
            ResetPassword = OfficerAccountSteps.ResetPassword.Code,
        });
        var response = new ListOfficerAccountChangesResponse();
        response.Changes.AddRange(rows.Take(ChangesShown).Select(row => new OfficerAccountChange
        {
            OccurredAt = Timestamp.FromDateTimeOffset(row.OccurredAt),
            ChangedBy = row.OfficerName.Length > 0 ? $"{row.OfficerName}（{row.OfficerId}）" : row.OfficerId,
            Username = row.SubjectId,
            CountyCode = row.SubjectCounty ?? "",
            Action = OfficerAccountSteps.Changes.FirstOrDefault(s => s.Code == row.Action)?.Label ?? row.Action,
            Outcome = row.Outcome,
            Detail = row.Detail,
        }));
        return response;
    }

    public async Task<OfficerAccountSecret> CreateAsync(CreateOfficerAccountRequest request, ServerCallContext context)
    {
        var step = OfficerAccountSteps.Create;
        var admin = await AdminAsync(context, step);
        var username = Normalize(request.Username);
        var county = await CountyInScopeAsync(admin, step, request.CountyCode, username);
        var name = (request.DisplayName ?? "").Trim();
        var errors = new FieldErrors();
        if (!UsernamePattern().IsMatch(username))
        {
            errors.Add("username", "用户名须为 3 至 50 位小写字母、数字或连字符（-），以字母或数字开头，例如 hy-clerk2");
        }

        if (name.Length is 0 or > 50)
        {
            errors.Add("display_name", name.Length == 0 ? "请填写工作人员姓名" : "姓名不能超过 50 个字");
        }

        var roles = CheckRoles(request.Roles, errors);
        errors.ThrowIfAny();

        var password = TemporaryPassword();
        var account = await ChangeAsync(admin, step, county, username, async (session, now) =>
        {
            if (await session.QuerySingleOrDefaultAsync<OfficerRow>(Officers.FindSql, new { Username = username }) is not null
                || await session.ExecuteScalarAsync<long>(SubjectTakenSql, new { Subject = "o-" + username }) > 0)
            {
                throw new RpcException(new Status(StatusCode.AlreadyExists, $"用户名 {username} 已被使用，请换一个"));
            }

            await session.ExecuteAsync(InsertSql, new
            {
                Username = username,
                Subject = "o-" + username,
                DisplayName = name,
                CountyCode = county,
                Roles = string.Join(' ', roles),
                PasswordHash = Officers.Hash(password),
                UpdatedAt = now,
            });
            return $"新建账号：{name}，{county}，岗位 {Words(roles)}";
        }, context.CancellationToken);
        return new OfficerAccountSecret { Officer = account, TemporaryPassword = password };
    }

    public async Task<OfficerAccount> SetRolesAsync(SetOfficerRolesRequest request, ServerCallContext context)
    {
        var errors = new FieldErrors();
        var roles = CheckRoles(request.Roles, errors);
        return await ChangeAccountAsync(context, OfficerAccountSteps.SetRoles, request.Username, errors, async (session, now, _, row) =>
        {
            if (row.RoleList.Contains(PermitsRoles.SystemAdmin) && !roles.Contains(PermitsRoles.SystemAdmin))
            {
                await RequireAnotherAdminAsync(session, row, "不能取消其系统管理员岗位");
            }

            await session.ExecuteAsync(SetRolesSql, new { row.Username, Roles = string.Join(' ', roles), UpdatedAt = now });
            return $"岗位由 {Words(row.RoleList)} 改为 {Words(roles)}";
        });
    }

    public async Task<OfficerAccount> DeactivateAsync(OfficerAccountRequest request, ServerCallContext context) =>
        await ChangeAccountAsync(context, OfficerAccountSteps.Deactivate, request.Username, null, async (session, now, admin, row) =>
        {
            StepRunner.Require(row.Subject != admin.Id, "不能停用自己的账号");
            StepRunner.Require(row.IsActive, "该账号已经停用");
            if (row.RoleList.Contains(PermitsRoles.SystemAdmin))
            {
                await RequireAnotherAdminAsync(session, row, "不能停用");
            }

            await session.ExecuteAsync(SetDeactivatedSql, new { row.Username, DeactivatedAt = now, UpdatedAt = now });
            await Sessions.RevokeAllAsync(session, row.Subject, now);
            return "停用账号，已结束其登录会话";
        });

    public async Task<OfficerAccount> ReactivateAsync(OfficerAccountRequest request, ServerCallContext context) =>
        await ChangeAccountAsync(context, OfficerAccountSteps.Reactivate, request.Username, null, async (session, now, _, row) =>
        {
            StepRunner.Require(!row.IsActive, "该账号正在使用，无须启用");
            await session.ExecuteAsync(SetDeactivatedSql, new { row.Username, DeactivatedAt = (long?)null, UpdatedAt = now });
            return "启用账号";
        });

    public async Task<OfficerAccountSecret> ResetPasswordAsync(OfficerAccountRequest request, ServerCallContext context)
    {
        var password = TemporaryPassword();
        var account = await ChangeAccountAsync(context, OfficerAccountSteps.ResetPassword, request.Username, null, async (session, now, _, row) =>
        {
            await session.ExecuteAsync(SetTemporaryPasswordSql, new { row.Username, PasswordHash = Officers.Hash(password), UpdatedAt = now });
            await Sessions.RevokeAllAsync(session, row.Subject, now);
            // Never the password itself: the audit holds no secret.
            return "重置为临时密码（须在下次登录时修改），已结束其登录会话";
        });
        return new OfficerAccountSecret { Officer = account, TemporaryPassword = password };
    }

    /// <summary>
    /// A change to an existing account: the caller must be a system-admin, the account in their scope (permission
    /// before validation: <paramref name="errors"/> are reported only then), and the change runs on its row.
    /// </summary>
    private async Task<OfficerAccount> ChangeAccountAsync(
        ServerCallContext context, OfficerStep step, string? requested, FieldErrors? errors,
        Func<DbSession, long, Shared.Steps.Officer, OfficerRow, Task<string>> change)
    {
        var admin = await AdminAsync(context, step);
        var (username, county) = await TargetAsync(admin, step, requested, context.CancellationToken);
        errors?.ThrowIfAny();
        return await ChangeAsync(admin, step, county, username,
            async (session, now) => await change(session, now, admin, await LoadAsync(session, username)), context.CancellationToken);
    }

    /// <summary>
    /// One change in one transaction: the county's accounts locked for it, the change, its audit line, commit; the
    /// account as it now is is the answer. A refusal the change makes (the last system-admin, a taken username …)
    /// changes nothing and is audited.
    /// </summary>
    private async Task<OfficerAccount> ChangeAsync(
        Shared.Steps.Officer admin, OfficerStep step, string county, string username, Func<DbSession, long, Task<string>> change,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var key = "officers:" + county;
        await LimitLocks.EnsureAsync(database, key, now, cancellationToken);
        RpcException refusal;
        try
        {
            await using var session = await database.BeginAsync(cancellationToken);
            await LimitLocks.LockAsync(session, key, now);
            var detail = await change(session, now);
            await audit.DoneAsync(session, admin, step, username, county, detail);
            var account = ToMessage(await LoadAsync(session, username));
            await session.CommitAsync(cancellationToken);
            return account;
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.FailedPrecondition or StatusCode.AlreadyExists)
        {
            refusal = ex;
        }

        // Refused: the change's transaction is gone (SQLite has one writer), so the refusal is written on its own.
        await audit.RefusedAsync(admin, step, username, county, refusal.Status.Detail);
        throw refusal;
    }

    /// <summary>The caller, if a system-admin; anyone else is refused (and audited) before the request is read.</summary>
    private async Task<Shared.Steps.Officer> AdminAsync(ServerCallContext context, OfficerStep step)
    {
        var caller = await CallerIdentity.AuthenticateAsync(context);
        if (!caller.IsAuthenticated)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "请先登录：须携带系统管理员的访问令牌"));
        }

        var officer = Shared.Steps.Officer.TryFrom(caller, context.Peer ?? "");
        if (officer is null || !officer.HasRole(PermitsRoles.SystemAdmin))
        {
            if (officer is not null)
            {
                await audit.RefusedAsync(officer, step, "", null, OfficerGuard.RoleRefusal(step));
            }

            throw new RpcException(new Status(StatusCode.PermissionDenied, "只有系统管理员可以管理工作人员账号"));
        }

        return officer;
    }

    /// <summary>
    /// The county asked for (empty: the administrator's own), if the administrator may administer it: their own
    /// county, or for a provincial administrator (county code ending 0000) any county of the province.
    /// </summary>
    private async Task<string> CountyInScopeAsync(Shared.Steps.Officer admin, OfficerStep step, string? asked, string subject)
    {
        var county = string.IsNullOrWhiteSpace(asked) ? admin.CountyCode : asked.Trim();
        if (!CountyPattern().IsMatch(county))
        {
            new FieldErrors().Add("county_code", "县（市、区）代码应为 6 位数字，例如 330424").ThrowIfAny();
        }

        if (!MayAdminister(admin.CountyCode, county))
        {
            var reason = $"{county} 不在您管理的范围内：只能管理{(IsProvincial(admin.CountyCode) ? "本省" : "本县（市、区）")}的工作人员账号";
            await audit.RefusedAsync(admin, step, subject, county, reason);
            throw new RpcException(new Status(StatusCode.PermissionDenied, reason));
        }

        return county;
    }

    /// <summary>The existing account an administrator names, if in their scope; NOT_FOUND alike for none and another province's.</summary>
    private async Task<(string Username, string County)> TargetAsync(
        Shared.Steps.Officer admin, OfficerStep step, string? requested, CancellationToken cancellationToken)
    {
        var username = Normalize(requested);
        if (username.Length == 0)
        {
            new FieldErrors().Add("username", "请填写用户名").ThrowIfAny();
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<OfficerRow>(Officers.FindSql, new { Username = username });
        if (row is null || row.CountyCode[..2] != admin.CountyCode[..2])
        {
            throw new RpcException(new Status(StatusCode.NotFound, NotFound));
        }

        return (username, await CountyInScopeAsync(admin, step, row.CountyCode, username));
    }

    public static bool IsProvincial(string county) => county.Length == 6 && county.EndsWith("0000", StringComparison.Ordinal);

    public static bool MayAdminister(string adminCounty, string county) =>
        adminCounty == county || (IsProvincial(adminCounty) && county.Length == 6 && county[..2] == adminCounty[..2]);

    private static async Task<OfficerRow> LoadAsync(DbSession session, string username) =>
        await session.QuerySingleOrDefaultAsync<OfficerRow>(Officers.FindSql, new { Username = username })
        ?? throw new RpcException(new Status(StatusCode.NotFound, NotFound));

    /// <summary>A county keeps at least one active system-admin, or nobody could administer it again.</summary>
    private static async Task RequireAnotherAdminAsync(DbSession session, OfficerRow row, string what)
    {
        var others = (await session.QueryAsync<OfficerRow>(ByCountySql, new { row.CountyCode }))
            .Count(o => o.Username != row.Username && o.IsActive && o.RoleList.Contains(PermitsRoles.SystemAdmin));
        StepRunner.Require(others > 0, $"{row.DisplayName}是本县（市、区）唯一在用的系统管理员，{what}；请先为其他工作人员设置系统管理员岗位");
    }

    private static List<string> CheckRoles(IEnumerable<string> requested, FieldErrors errors)
    {
        var roles = requested.Select(r => r.Trim()).Where(r => r.Length > 0).Distinct().ToList();
        if (roles.Count == 0)
        {
            errors.Add("roles", "请至少选择一个岗位");
        }

        foreach (var unknown in roles.Where(r => !PermitsRoles.Officer.Contains(r)))
        {
            errors.Add("roles", $"没有“{(unknown.Length > 30 ? unknown[..30] : unknown)}”这个岗位");
        }

        // In the order of PermitsRoles.Officer, so the first role (what pages show) does not depend on the form.
        return PermitsRoles.Officer.Where(roles.Contains).ToList();
    }

    private static string Words(IEnumerable<string> roles) => string.Join("、", roles.Select(OfficerGuard.RoleLabel));

    private static string Normalize(string? username) => (username ?? "").Trim().ToLowerInvariant();

    /// <summary>
    /// Twelve characters from letters and digits that cannot be mistaken for one another (no 0/O, 1/l/I), about 70
    /// bits: read out or handed over once, then replaced at first sign-in.
    /// </summary>
    public static string TemporaryPassword()
    {
        const string alphabet = "ABCDEFGHJKMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789";
        return RandomNumberGenerator.GetString(alphabet, 12);
    }

    public static OfficerAccount ToMessage(OfficerRow row)
    {
        var account = new OfficerAccount
        {
            OfficerId = row.Subject,
            Username = row.Username,
            DisplayName = row.DisplayName,
            CountyCode = row.CountyCode,
            Active = row.IsActive,
            PasswordChangeRequired = row.PasswordChangeRequired != 0,
        };
        account.Roles.AddRange(row.RoleList);
        return account;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{2,49}$")]
    private static partial Regex UsernamePattern();

    [GeneratedRegex("^[0-9]{6}$")]
    private static partial Regex CountyPattern();
}
