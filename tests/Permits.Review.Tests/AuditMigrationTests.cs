using System.Data.Common;
using System.Reflection;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;
using Permits.Shared.Data;
using Permits.Shared.Steps;
using Permits.Testing;

namespace Permits.Review.Tests;

/// <summary>
/// Review's own audit (review_audit) is carried into the officer audit every service shares by Review's script 004:
/// each row once, the case as the subject, outcomes spelt done/refused; then review_audit is gone.
/// </summary>
public abstract class When_the_review_audit_moves_into_the_officer_audit(string provider)
{
    private static readonly Assembly Review = typeof(ReviewModule).Assembly;
    private static readonly Assembly Shared = typeof(OfficerAudit<>).Assembly;

    private const string OldRowSql = """
        INSERT INTO review_audit (
            id, occurred_at, officer_id, officer_role, officer_county, case_id, case_county, action, outcome, detail, peer_address)
        VALUES (@Id, @OccurredAt, @OfficerId, @OfficerRole, @OfficerCounty, @CaseId, @CaseCounty, @Action, @Outcome, @Detail, @PeerAddress)
        """;

    [Fact]
    public async Task Should_carry_every_row_over_with_the_case_as_its_subject_and_drop_the_old_table()
    {
        DbTypeHandlers.Register();
        await using var connection = await OpenAsync();
        foreach (var (assembly, script) in new[]
                 {
                     (Review, "001_review_cases.sql"), (Review, "002_legal_clock.sql"), (Review, "003_target_licence.sql"),
                     (Shared, "002_officer_audit.sql"),
                 })
        {
            await connection.ExecuteAsync(Script(assembly, script));
        }

        var caseId = Guid.NewGuid();
        var at = new DateTimeOffset(2026, 11, 2, 2, 0, 0, TimeSpan.Zero);
        await connection.ExecuteAsync(OldRowSql, new
        {
            Id = Guid.NewGuid(), OccurredAt = at, OfficerId = "o-hy-clerk", OfficerRole = "clerk", OfficerCounty = Officers.Haiyan,
            CaseId = (Guid?)caseId, CaseCounty = (string?)Officers.Haiyan, Action = "Accept", Outcome = "Done",
            Detail = "受理，受理通知书 盐烟专许受〔2026〕第00001号", PeerAddress = "ipv4:192.0.2.10:51000",
        });
        await connection.ExecuteAsync(OldRowSql, new
        {
            Id = Guid.NewGuid(), OccurredAt = at.AddMinutes(1), OfficerId = "js-head", OfficerRole = "head", OfficerCounty = Officers.Jiashan,
            CaseId = (Guid?)null, CaseCounty = (string?)Officers.Haiyan, Action = "ViewQueue", Outcome = "Refused",
            Detail = "该案件不属于本县（市、区）局，无权查看或办理", PeerAddress = "ipv4:192.0.2.11:51001",
        });

        await connection.ExecuteAsync(Script(Review, "004_officer_audit.sql"));

        var rows = (await connection.QueryAsync<AuditEntry>($"SELECT {AuditEntry.Columns} FROM officer_audit ORDER BY occurred_at")).ToList();
        Assert.Collection(rows,
            done =>
            {
                Assert.Equal((caseId.ToString(), Officers.Haiyan, "Accept", "done"), (done.SubjectId, done.SubjectCounty, done.Action, done.Outcome));
                Assert.Equal(("o-hy-clerk", "", "clerk", Officers.Haiyan), (done.OfficerId, done.OfficerName, done.OfficerRole, done.OfficerCounty));
                Assert.Equal((at, "ipv4:192.0.2.10:51000"), (done.OccurredAt, done.PeerAddress));
                Assert.StartsWith("受理，受理通知书", done.Detail);
            },
            refused =>
            {
                Assert.Equal(("", "ViewQueue", "refused", "js-head"), (refused.SubjectId, refused.Action, refused.Outcome, refused.OfficerId));
                Assert.Equal("该案件不属于本县（市、区）局，无权查看或办理", refused.Detail);
            });
        await Assert.ThrowsAnyAsync<DbException>(() => connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM review_audit"));
    }

    private async Task<DbConnection> OpenAsync()
    {
        DbConnection connection = provider == "PostgreSql"
            ? new NpgsqlConnection(await (await TestServers.GetAsync()).NewDatabaseAsync("review_audit_move"))
            : new SqliteConnection($"Data Source={TestData.NewFile("review-audit", "db")};Pooling=false");
        await connection.OpenAsync();
        return connection;
    }

    private string Script(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream($"sql/{provider}/{name}")
            ?? throw new InvalidOperationException($"No script sql/{provider}/{name} in {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

public sealed class When_the_review_audit_moves_into_the_officer_audit_on_sqlite() : When_the_review_audit_moves_into_the_officer_audit("Sqlite");

public sealed class When_the_review_audit_moves_into_the_officer_audit_on_postgresql() : When_the_review_audit_moves_into_the_officer_audit("PostgreSql");
