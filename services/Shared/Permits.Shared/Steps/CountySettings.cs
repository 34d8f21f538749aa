using System.Data.Common;
using System.Text.Json;
using Dapper;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Permits.Contracts.Common.V1;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Messaging;
using Permits.Shared.Security;

namespace Permits.Shared.Steps;

/// <summary>One county's stored settings of one kind: the document, its version and who changed it last.</summary>
public sealed record StoredSettings<T>(T Value, int Version, DateTimeOffset? UpdatedAt, string UpdatedBy);

/// <summary>
/// A county's own settings (layout rules, 承诺时限, hall details, materials), owned by the service that uses them and
/// changed by the county's 系统管理员 (<see cref="PermitsRoles.SystemAdmin"/>, own county only). Each service keeps them
/// in its own database (table <c>county_settings</c>: a JSON document per county and kind, with a version), beside the
/// file that still gives the default for a county that never changed them.
/// <para>
/// No cache: the service reads the row on every request that uses it (one primary-key lookup), so a change is in force
/// on the next request in every replica, with nothing to invalidate and no event to lose. That is the simplest correct
/// choice; a short cache would only save a lookup that costs less than the request's other queries.
/// </para>
/// </summary>
public sealed class CountySettings<TService>(ServiceDatabase<TService> database, StepRunner<TService> steps, CountyDirectory counties)
    where TService : IServiceModule
{
    private const string ReadSql = """
        SELECT body AS Body, version AS Version, updated_at AS UpdatedAt, updated_by AS UpdatedBy
        FROM county_settings WHERE county_code = @County AND kind = @Kind
        """;

    private const string InsertSql = """
        INSERT INTO county_settings (county_code, kind, body, version, updated_at, updated_by)
        VALUES (@County, @Kind, @Body, 1, @UpdatedAt, @UpdatedBy)
        """;

    private const string UpdateSql = """
        UPDATE county_settings SET body = @Body, version = version + 1, updated_at = @UpdatedAt, updated_by = @UpdatedBy
        WHERE county_code = @County AND kind = @Kind AND version = @Version
        """;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The 系统管理员 alone changes a county's settings.</summary>
    public static readonly IReadOnlyList<string> AdminRoles = [PermitsRoles.SystemAdmin];

    /// <summary>What the audit records settings under: one subject per county and kind (layout/330424).</summary>
    public static string SubjectId(string kind, string county) => $"{kind}/{county}";

    /// <summary>The county a settings target is on.</summary>
    public static string CountyOf(StepTarget<string> target) => target.SubjectId[(target.SubjectId.IndexOf('/') + 1)..];

    private static string Who(AuditEntry entry) => entry.OfficerName.Length > 0 ? $"{entry.OfficerName}（{entry.OfficerId}）" : entry.OfficerId;

    /// <summary>The stored settings, or null when the county still uses the file's default.</summary>
    public static async Task<StoredSettings<T>?> ReadAsync<T>(DbConnection connection, DbTransaction? transaction, string kind, string county)
    {
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(ReadSql, new { County = county, Kind = kind }, transaction));
        return row is null ? null : new StoredSettings<T>(JsonSerializer.Deserialize<T>(row.Body, Json)!, row.Version, row.UpdatedAt, row.UpdatedBy);
    }

    /// <summary>The stored settings on a connection of their own (for a request outside a step's transaction).</summary>
    public async Task<StoredSettings<T>?> ReadAsync<T>(string kind, string county, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ReadAsync<T>(connection, null, kind, county);
    }

    /// <summary>
    /// The county an administrator names, checked before anything is read: an unknown code is a field error, another
    /// county's is PERMISSION_DENIED (audited) — only after that may the caller learn what is wrong with the rest.
    /// </summary>
    public async Task<StepTarget<string>> TargetAsync(
        Officer officer, OfficerStep step, string kind, string countyCode, FieldErrors errors, CancellationToken cancellationToken)
    {
        var county = countyCode.Trim();
        if (county.Length == 0)
        {
            county = officer.CountyCode;
        }
        else if (!counties.TryGet(county, out _))
        {
            errors.Add("county_code", "不是本系统服务的县级行政区划代码");
        }

        var target = new StepTarget<string>(
            SubjectId(kind, county), "该县（市、区）的设置", "未找到该县（市、区）",
            _ => Task.FromResult<string?>(county), c => c, _ => Task.FromResult<string?>(county));
        await steps.ThrowIfInvalidAsync(officer, step, target, errors, cancellationToken);
        return target;
    }

    /// <summary>May the officer read the settings: the same guard as a change; a refusal is audited.</summary>
    public async Task EnsureMayViewAsync(Officer officer, OfficerStep step, StepTarget<string> target)
    {
        var county = CountyOf(target);
        if (OfficerGuard.Decide(officer, step, county, target.Noun) is { Allowed: false } verdict)
        {
            await steps.Audit.RefusedAsync(officer, step, target.SubjectId, county, verdict.Reason);
            throw new RpcException(new Status(StatusCode.PermissionDenied, verdict.Reason));
        }
    }

    /// <summary>
    /// Changes the settings in one audited step: the guard (county and role, refusal audited), then
    /// <paramref name="change"/> gives the new document and what changed in words (empty: nothing changed, nothing
    /// written); the row is written under <paramref name="expectedVersion"/> (ABORTED when someone changed it since).
    /// </summary>
    public Task<StoredSettings<T>> ChangeAsync<T>(
        Officer officer, OfficerStep step, StepTarget<string> target, string kind, int expectedVersion, TimeProvider time,
        Func<DbSession, string, Task<(T Value, string Changes)>> change, CancellationToken cancellationToken) =>
        steps.RunAsync(officer, step, target, async (session, county) =>
        {
            var current = await ReadAsync<T>(session.Connection, session.Transaction, kind, county);
            StepRunner.EnsureUpdated((current?.Version ?? 0) == expectedVersion ? 1 : 0, "设置已被他人修改，请刷新后重试");
            var (value, changes) = await change(session, county);
            if (changes.Length == 0)
            {
                return new StepResult<StoredSettings<T>>(current ?? new StoredSettings<T>(value, 0, null, ""), "未作修改");
            }

            var now = time.GetUtcNow();
            var parameters = new { County = county, Kind = kind, Body = JsonSerializer.Serialize(value, Json), UpdatedAt = now, UpdatedBy = officer.Label, Version = expectedVersion };
            StepRunner.EnsureUpdated(await session.ExecuteAsync(current is null ? InsertSql : UpdateSql, parameters), "设置已被他人修改，请刷新后重试");
            return new StepResult<StoredSettings<T>>(new StoredSettings<T>(value, expectedVersion + 1, now, officer.Label), changes);
        }, cancellationToken);

    /// <summary>
    /// The settings' audit trail (changes and refusals), newest first: when, who (张三（o-hy-admin）), the outcome (done,
    /// refused) and what changed or why it was refused — the one trail message every service's settings answer with.
    /// </summary>
    public async Task<IReadOnlyList<SettingsChange>> TrailAsync(StepTarget<string> target, CancellationToken cancellationToken) =>
        (await steps.Audit.TrailAsync(target.SubjectId, cancellationToken)).Reverse()
            .Select(e => new SettingsChange
            {
                OccurredAt = Timestamp.FromDateTimeOffset(e.OccurredAt), Officer = Who(e), Outcome = e.Outcome, Detail = e.Detail,
            }).ToList();

    /// <summary>"字段：旧值 → 新值" for each field that differs; empty when none does.</summary>
    public static string Changes(params (string Label, object Old, object New)[] fields) =>
        string.Join("；", fields.Where(f => !Equals(f.Old, f.New)).Select(f => $"{f.Label}：{Show(f.Old)} → {Show(f.New)}"));

    private static string Show(object value) => value switch
    {
        string { Length: 0 } => "（空）",
        double d => d.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };

    private sealed class Row
    {
        public string Body { get; init; } = "";
        public int Version { get; init; }
        public DateTimeOffset? UpdatedAt { get; init; }
        public string UpdatedBy { get; init; } = "";
    }
}
