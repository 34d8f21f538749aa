using Grpc.Core;
using Permits.Contracts.Review.V1;
using Xunit.Abstractions;

namespace Permits.Review.Tests;

/// <summary>
/// What the steps about the claim or a pending 延期 request send to PostgreSQL (<see cref="StatementLog"/>): the case
/// is read once, before; the step's one UPDATE answers the case as it left it, which is what the officer sees.
/// </summary>
public sealed class When_an_officer_step_changes_the_claim_or_an_extension_request(ITestOutputHelper output) : IAsyncLifetime
{
    private ReviewHost _host = null!;

    public async Task InitializeAsync() => _host = await ReviewHost.StartAsync("PostgreSql", ManualTime.AtChinaTime(2026, 11, 2));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static Metadata As(string officerId, string role, string name = "测试工作人员") =>
        OfficerTokens.Headers(OfficerTokens.For(officerId, role, Officers.Haiyan, name));

    [Fact]
    public async Task Should_read_the_case_once_and_answer_it_as_the_step_left_it()
    {
        using var log = new StatementLog();
        var opened = await _host.SubmitAsync();
        var act = new CaseActionRequest { CaseId = opened.CaseId };
        var answers = new List<(string Name, Case Case, IReadOnlyList<string> Statements)>();

        async Task StepAsync(string name, Func<Task<Case>> call)
        {
            Case? answer = null;
            var statements = await log.OfAsync(async () => answer = await call());
            answers.Add((name, answer!, statements));
            output.WriteLine($"{name}: {statements.Count} statements");
            foreach (var statement in statements)
            {
                output.WriteLine("  " + (statement.Length <= 150 ? statement : statement[..150] + "…"));
            }
        }

        await StepAsync("claim", () => _host.Client.ClaimAsync(act, As("clerk-a", "clerk")).ResponseAsync);
        await StepAsync("assign", () => _host.Client.AssignAsync(
            new AssignRequest { Action = act, OfficerId = "o-hy-clerk" }, As("clerk-a", "clerk")).ResponseAsync);
        await StepAsync("release", () => _host.Client.ReleaseAsync(act, As("o-hy-clerk", "clerk")).ResponseAsync);
        await _host.Client.AcceptAsync(Officers.Act(opened.CaseId, "clerk"));
        await StepAsync("request extension", () => _host.Client.RequestExtensionAsync(
            new CaseActionRequest { CaseId = opened.CaseId, Note = "需等待规划部门出具意见" }, As("inspector-a", "inspector", "李核查")).ResponseAsync);
        await StepAsync("decline extension", () => _host.Client.DeclineExtensionAsync(
            new CaseActionRequest { CaseId = opened.CaseId, Note = "规划意见不影响本案审批" }, As("o-hy-head", "head", "王审批")).ResponseAsync);

        foreach (var (name, _, statements) in answers)
        {
            Assert.True(statements.Count(s => s.StartsWith("SELECT id AS Id, application_id", StringComparison.Ordinal)) == 1, $"{name} reads its case once");
        }

        var byName = answers.ToDictionary(a => a.Name, a => a.Case);
        Assert.Equal("clerk-a", byName["claim"].ClaimedBy);
        Assert.Equal("o-hy-clerk", byName["assign"].ClaimedBy);
        Assert.Equal("", byName["release"].ClaimedBy);
        Assert.Equal("Acceptance", byName["release"].Step);
        Assert.True(byName["request extension"].ExtensionRequested);
        Assert.False(byName["decline extension"].ExtensionRequested);
        // Each answer is the case as stored once the step committed.
        Assert.Equal(await _host.GetAsync(opened.CaseId), byName["decline extension"]);
    }
}
