using Dapper;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Messaging;
using Permits.Shared.Security;
using Permits.Shared.Steps;
using Permits.Testing;

namespace Permits.Shared.Tests;

/// <summary>
/// The one step mechanism every officer action runs on, against a real SQLite database with the shared schema: a step
/// done commits its change with one audit line; a refused or failed step changes nothing, and a refusal is audited.
/// </summary>
public sealed class When_an_officer_takes_a_step : IAsyncLifetime
{
    private const string LoadSql = "SELECT id AS Id, county_code AS CountyCode, state AS State, version AS Version FROM things WHERE id = @Id";
    private const string CountySql = "SELECT county_code FROM things WHERE id = @Id";
    private const string MoveSql = "UPDATE things SET state = @State, version = version + 1 WHERE id = @Id AND version = @Version";

    private static readonly OfficerStep Approve = new("Approve", "准予行政许可", [PermitsRoles.Head]);

    private static readonly Officer Head = Officer("o-head", PermitsRoles.Head, "330424");
    private static readonly Officer Clerk = Officer("o-clerk", PermitsRoles.Clerk, "330424");
    private static readonly Officer OtherCountyHead = Officer("o-js-head", PermitsRoles.Head, "330481");

    private readonly string _file = TestData.NewFile("steps", "db");
    private ServiceDatabase<StepTestModule> _database = null!;
    private StepRunner<StepTestModule> _steps = null!;

    public async Task InitializeAsync()
    {
        DbTypeHandlers.Register();
        _database = new ServiceDatabase<StepTestModule>(
            new DatabaseOptions(SqlDialect.Sqlite, $"Data Source={_file}", true), new OutboxSignal<StepTestModule>());
        await new SchemaMigrator<StepTestModule>(_database, NullLogger<SchemaMigrator<StepTestModule>>.Instance)
            .MigrateAsync(CancellationToken.None);
        await using var connection = await _database.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync("CREATE TABLE things (id TEXT PRIMARY KEY, county_code TEXT NOT NULL, state TEXT NOT NULL, version INTEGER NOT NULL)");
        await connection.ExecuteAsync("INSERT INTO things VALUES ('t1', '330424', 'Open', 1)");
        _steps = new StepRunner<StepTestModule>(_database, new OfficerAudit<StepTestModule>(_database, TimeProvider.System));
    }

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_file);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Should_commit_the_change_with_one_audit_line()
    {
        var answer = await RunApprovalAsync(Head);

        Assert.Equal("done: Approved", answer);
        Assert.Equal("Approved", await StateAsync());
        var trail = await _steps.Audit.TrailAsync("t1", CancellationToken.None);
        var line = Assert.Single(trail);
        Assert.Equal(("o-head", "head", "330424", "Approve", "done", "准予"), (line.OfficerId, line.OfficerRole, line.SubjectCounty, line.Action, line.Outcome, line.Detail));
    }

    [Fact]
    public async Task Should_refuse_another_countys_officer_change_nothing_and_audit_the_refusal()
    {
        var refused = await Assert.ThrowsAsync<RpcException>(() => RunApprovalAsync(OtherCountyHead));

        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Equal("该事物不属于本县（市、区）局，无权查看或办理", refused.Status.Detail);
        Assert.Equal("Open", await StateAsync());
        var line = Assert.Single(await _steps.Audit.TrailAsync("t1", CancellationToken.None));
        Assert.Equal(("o-js-head", "refused"), (line.OfficerId, line.Outcome));
    }

    [Fact]
    public async Task Should_refuse_a_role_the_step_does_not_name()
    {
        var refused = await Assert.ThrowsAsync<RpcException>(() => RunApprovalAsync(Clerk));

        Assert.Equal((StatusCode.PermissionDenied, "准予行政许可须由审批岗位办理"), (refused.StatusCode, refused.Status.Detail));
        Assert.Equal("Open", await StateAsync());
        Assert.Equal("refused", Assert.Single(await _steps.Audit.TrailAsync("t1", CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task Should_leave_no_trace_when_the_steps_own_check_fails()
    {
        var refused = await Assert.ThrowsAsync<RpcException>(() => _steps.RunAsync(Head, Approve, Target("t1"), (session, row) =>
        {
            StepRunner.Require(row.State == "Closed", "只有已结束的事物才能准予");
            return Task.FromResult(new StepResult<string>("never", "never"));
        }, CancellationToken.None));

        Assert.Equal((StatusCode.FailedPrecondition, "只有已结束的事物才能准予"), (refused.StatusCode, refused.Status.Detail));
        Assert.Empty(await _steps.Audit.TrailAsync("t1", CancellationToken.None));
    }

    [Fact]
    public async Task Should_abort_when_someone_else_changed_the_row_meanwhile()
    {
        var aborted = await Assert.ThrowsAsync<RpcException>(() => _steps.RunAsync(Head, Approve, Target("t1"), async (session, row) =>
        {
            StepRunner.EnsureUpdated(await session.ExecuteAsync(MoveSql, new { Id = row.Id, State = "Approved", Version = row.Version + 1 }));
            return new StepResult<string>("never", "never");
        }, CancellationToken.None));

        Assert.Equal(StatusCode.Aborted, aborted.StatusCode);
        Assert.Equal("Open", await StateAsync());
    }

    [Fact]
    public async Task Should_answer_not_found_for_an_unknown_subject()
    {
        var missing = await Assert.ThrowsAsync<RpcException>(() => _steps.RunAsync(Head, Approve, Target("nope"),
            (_, _) => Task.FromResult(new StepResult<string>("never", "never")), CancellationToken.None));

        Assert.Equal((StatusCode.NotFound, "未找到该事物"), (missing.StatusCode, missing.Status.Detail));
    }

    [Fact]
    public async Task Should_decide_permission_before_validation()
    {
        var errors = new FieldErrors();
        errors.Add("note", "意见不能超过 1000 个字");

        var otherCounty = await Assert.ThrowsAsync<RpcException>(() =>
            _steps.ThrowIfInvalidAsync(OtherCountyHead, Approve, Target("t1"), errors, CancellationToken.None));
        var wrongRole = await Assert.ThrowsAsync<RpcException>(() =>
            _steps.ThrowIfInvalidAsync(Clerk, Approve, Target("t1"), errors, CancellationToken.None));
        var own = await Assert.ThrowsAsync<RpcException>(() =>
            _steps.ThrowIfInvalidAsync(Head, Approve, Target("t1"), errors, CancellationToken.None));
        await _steps.ThrowIfInvalidAsync(OtherCountyHead, Approve, Target("t1"), new FieldErrors(), CancellationToken.None);

        Assert.Equal(
            [StatusCode.PermissionDenied, StatusCode.PermissionDenied, StatusCode.InvalidArgument],
            new[] { otherCounty.StatusCode, wrongRole.StatusCode, own.StatusCode });
        Assert.Equal(2, (await _steps.Audit.TrailAsync("t1", CancellationToken.None)).Count(e => e.Outcome == "refused"));
        Assert.True(await _steps.MayAsync(Head, Approve, Target("t1"), CancellationToken.None));
        Assert.False(await _steps.MayAsync(OtherCountyHead, Approve, Target("t1"), CancellationToken.None));
    }

    [Fact]
    public void Should_not_take_a_caller_without_an_officer_role_and_county_for_an_officer()
    {
        var roles = new HashSet<string>(StringComparer.Ordinal) { PermitsRoles.Applicant };
        var scopes = new HashSet<string>(StringComparer.Ordinal);
        var applicant = new CallerIdentity("13800571234", "张三", roles, null, null, "13800571234", scopes);
        var countyless = new CallerIdentity("o-x", "李四", new HashSet<string>(StringComparer.Ordinal) { PermitsRoles.Head }, null, null, null, scopes);

        Assert.Null(Steps.Officer.TryFrom(applicant));
        Assert.Null(Steps.Officer.TryFrom(countyless));
        Assert.Equal(StatusCode.Unauthenticated, Assert.Throws<RpcException>(() => Steps.Officer.From(CallerIdentity.Anonymous)).StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, Assert.Throws<RpcException>(() => Steps.Officer.From(applicant)).StatusCode);
    }

    private Task<string> RunApprovalAsync(Officer officer) =>
        _steps.RunAsync(officer, Approve, Target("t1"), async (session, row) =>
        {
            StepRunner.EnsureUpdated(await session.ExecuteAsync(MoveSql, new { Id = row.Id, State = "Approved", row.Version }));
            return new StepResult<string>("done: Approved", "准予");
        }, CancellationToken.None);

    private static StepTarget<Thing> Target(string id) =>
        StepTarget<Thing>.Sql(id, "该事物", "未找到该事物", LoadSql, CountySql, new { Id = id }, t => t.CountyCode);

    private async Task<string> StateAsync()
    {
        await using var connection = await _database.OpenAsync(CancellationToken.None);
        return await connection.QuerySingleAsync<string>("SELECT state FROM things WHERE id = 't1'");
    }

    private static Officer Officer(string id, string role, string county) =>
        new(id, "", new HashSet<string>(StringComparer.Ordinal) { role }, county, "127.0.0.1");

    public sealed class Thing
    {
        public string Id { get; init; } = "";
        public string CountyCode { get; init; } = "";
        public string State { get; init; } = "";
        public int Version { get; init; }
    }
}

public sealed class StepTestModule : IServiceModule
{
    public static string Name => "StepTest";
}
