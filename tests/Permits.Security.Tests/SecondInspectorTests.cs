using Google.Rpc;
using Grpc.Core;
using Permits.Contracts.Review.V1;
using Permits.Testing;
using Xunit.Abstractions;

namespace Permits.Security.Tests;

/// <summary>
/// Issue 12, hole 7: 实地核查 is by two inspectors of the case's county. The second one named must be such an
/// inspector other than the caller, and the visit dated within the acceptance period, not in the future.
/// </summary>
[Collection(MatrixSystem.Name)]
public sealed class When_an_inspector_records_a_site_visit(MatrixSystem fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Should_refuse_a_second_inspector_or_date_that_cannot_be()
    {
        var system = fixture.System;
        var journey = system.Journey;
        var submitted = await journey.SubmitAsync(SampleApplications.Enterprise());
        var reviewCase = await journey.WaitForCaseAsync(submitted.ApplicationId, CallerTokens.County);
        await journey.Review.AcceptAsync(new CaseActionRequest { CaseId = reviewCase.CaseId }, await HeadersAsync("hy-clerk"));
        var inspector = await HeadersAsync("hy-inspector1");
        var today = DateTime.UtcNow.AddHours(8).Date;

        var subjects = new Dictionary<string, string>();
        foreach (var username in new[] { "hy-clerk", "hy-inspector1", "hy-inspector2", "js-inspector2" })
        {
            subjects[username] = OfficerSignIn.Subject(await system.Officers.TokenAsync(username));
        }

        string Subject(string username) => subjects[username];
        (string What, string SecondInspector, string InspectedOn)[] impossible =
        [
            ("a clerk", Subject("hy-clerk"), Day(today)),
            ("the caller", Subject("hy-inspector1"), Day(today)),
            ("another county's inspector", Subject("js-inspector2"), Day(today)),
            ("nobody", "nobody-at-all", Day(today)),
            ("the year 1", Subject("hy-inspector2"), "0001-01-01"),
            ("a day to come", Subject("hy-inspector2"), Day(today.AddDays(3))),
        ];
        var accepted = new List<string>();
        foreach (var (what, second, on) in impossible)
        {
            try
            {
                await journey.Review.RecordInspectionAsync(Inspection(reviewCase.CaseId, second, on), inspector);
                accepted.Add($"{what}: accepted");
            }
            catch (RpcException error) when (error.StatusCode == StatusCode.InvalidArgument)
            {
                var fields = error.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.Select(v => v.Field).ToList() ?? [];
                if (!fields.Intersect(["second_inspector_id", "inspected_on"]).Any())
                {
                    accepted.Add($"{what}: refused for another field ({string.Join(", ", fields)})");
                }
            }
        }

        // The county's other inspector, today: recorded.
        var recorded = await journey.Review.RecordInspectionAsync(Inspection(reviewCase.CaseId, Subject("hy-inspector2"), Day(today)), inspector);

        output.WriteLine($"site visits that cannot be: {impossible.Length} tried, {accepted.Count} not refused");
        foreach (var line in accepted)
        {
            output.WriteLine("  " + line);
        }

        Assert.NotEmpty(recorded.InspectionDocumentNumber);
        Assert.Empty(accepted);
    }

    private async Task<Metadata> HeadersAsync(string username) =>
        new() { { "Authorization", "Bearer " + await fixture.System.Officers.TokenAsync(username) } };

    private static RecordInspectionRequest Inspection(string caseId, string secondInspector, string inspectedOn) => new()
    {
        Action = new CaseActionRequest { CaseId = caseId },
        SecondInspectorId = secondInspector,
        InspectedOn = inspectedOn,
        Findings = "经营场所与住所相独立，面积与申报一致",
        MeasuredFloorArea = 35,
        Distances = { new MeasuredDistance { Target = "最近零售户", Meters = 150 } },
        PremisesCompliant = true,
        Latitude = 30.4102,
        Longitude = 120.8107,
    };

    private static string Day(DateTime day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
