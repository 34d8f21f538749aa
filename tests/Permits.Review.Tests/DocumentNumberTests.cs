using Grpc.Core;
using Permits.Contracts.Review.V1;
using Permits.Shared.Domain;
using Xunit.Abstractions;

namespace Permits.Review.Tests;

/// <summary>
/// A county's document numbers (文书号) of a kind and year stay gap-free when its officers act at once: each step takes
/// its number in its own transaction, so a step refused or lost to another officer gives none away.
/// </summary>
public abstract class When_officers_of_a_county_issue_documents_at_once(string provider) : IAsyncLifetime
{
    private ReviewHost _host = null!;

    public async Task InitializeAsync() => _host = await ReviewHost.StartAsync(provider, ManualTime.AtChinaTime(2026, 11, 2));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Should_number_them_apart_without_gaps_and_give_a_refused_steps_number_back()
    {
        var cases = new List<Case>();
        for (var i = 0; i < 6; i++)
        {
            cases.Add(await _host.SubmitAsync());
        }

        // Six clerks accept six cases at once, and a seventh the first case again: one of the two on it must lose.
        var attempts = await Task.WhenAll(
            cases.Select(c => Try(() => _host.Client.AcceptAsync(Officers.Act(c.CaseId, "clerk")).ResponseAsync))
                .Append(Try(() => _host.Client.AcceptAsync(Officers.Act(cases[0].CaseId, "clerk")).ResponseAsync)));

        var accepted = attempts.Where(a => a.Case is not null).Select(a => a.Case!).ToList();
        var lost = Assert.Single(attempts, a => a.Case is null);
        Assert.Contains(lost.Status, new[] { StatusCode.Aborted, StatusCode.FailedPrecondition });
        Assert.Equal(6, accepted.Select(c => c.CaseId).Distinct().Count());
        Assert.Equal(
            Enumerable.Range(1, 6).Select(n => $"许受〔2026〕第{n:D5}号").ToList(),
            accepted.Select(c => c.AcceptanceDocumentNumber[c.AcceptanceDocumentNumber.IndexOf("许受", StringComparison.Ordinal)..]).Order().ToList());

        // A refused extension (the period was extended once already) takes no number; the next one is the second.
        var first = await _host.Client.ExtendAsync(Officers.Act(cases[1].CaseId, "head", note: "需要专家论证"));
        var refused = await Assert.ThrowsAsync<RpcException>(
            () => _host.Client.ExtendAsync(Officers.Act(cases[1].CaseId, "head", note: "再次延长")).ResponseAsync);
        var second = await _host.Client.ExtendAsync(Officers.Act(cases[2].CaseId, "head", note: "需要专家论证"));

        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.EndsWith("许延〔2026〕第00001号", first.ExtensionDocumentNumber);
        Assert.EndsWith("许延〔2026〕第00002号", second.ExtensionDocumentNumber);
    }

    private static async Task<(Case? Case, StatusCode Status)> Try(Func<Task<Case>> call)
    {
        try
        {
            return (await call(), StatusCode.OK);
        }
        catch (RpcException e)
        {
            return (null, e.StatusCode);
        }
    }
}

public sealed class When_officers_of_a_county_issue_documents_at_once_on_sqlite() : When_officers_of_a_county_issue_documents_at_once("Sqlite");

public sealed class When_officers_of_a_county_issue_documents_at_once_on_postgresql() : When_officers_of_a_county_issue_documents_at_once("PostgreSql");

/// <summary>
/// What each numbered step sends to PostgreSQL (<see cref="StatementLog"/>): it reads its case once, and takes its
/// number last, so the county's counter of that kind is locked only while the writes that carry the number run.
/// </summary>
public sealed class When_an_officer_step_issues_a_numbered_document(ITestOutputHelper output) : IAsyncLifetime
{
    private ReviewHost _host = null!;

    public async Task InitializeAsync() => _host = await ReviewHost.StartAsync("PostgreSql", ManualTime.AtChinaTime(2026, 11, 2));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Should_read_the_case_once_and_take_the_number_after_every_other_change()
    {
        using var log = new StatementLog();
        var opened = await _host.SubmitAsync();
        var steps = new (string Name, Func<Task> Call)[]
        {
            ("accept", () => _host.Client.AcceptAsync(Officers.Act(opened.CaseId, "clerk")).ResponseAsync),
            ("inspect", () => _host.Client.RecordInspectionAsync(_host.CompliantInspection(opened.CaseId)).ResponseAsync),
            ("opinion", () => _host.Client.RecordOpinionAsync(new RecordOpinionRequest
            {
                Action = Officers.Act(opened.CaseId, "reviewer"), Recommendation = "Approve", Opinion = "材料齐全，符合条件",
            }).ResponseAsync),
            ("approve", () => _host.Client.ApproveAsync(Officers.Act(opened.CaseId, "head")).ResponseAsync),
        };

        var logged = new List<(string Name, IReadOnlyList<string> Statements)>();
        foreach (var (name, call) in steps)
        {
            var statements = await log.OfAsync(call);
            logged.Add((name, statements));
            output.WriteLine($"{name}: {statements.Count} statements");
            foreach (var statement in statements)
            {
                output.WriteLine("  " + (statement.Length <= 150 ? statement : statement[..150] + "…"));
            }
        }

        foreach (var (name, statements) in logged)
        {
            Assert.True(statements.Count(s => s.StartsWith("SELECT id AS Id, application_id", StringComparison.Ordinal)) == 1, $"{name} reads its case once");
            var counter = statements.ToList().FindIndex(s => s.StartsWith("INSERT INTO counters", StringComparison.Ordinal));
            Assert.True(counter >= 0, $"{name} takes a number");
            Assert.StartsWith("UPDATE review_cases SET acceptance_document = COALESCE", statements[counter + 1]);
            Assert.All(statements.Skip(counter + 2), s => Assert.StartsWith("INSERT INTO", s));
        }
    }
}
