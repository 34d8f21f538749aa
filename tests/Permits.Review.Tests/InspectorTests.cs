using Google.Rpc;
using Grpc.Core;
using Permits.Contracts.Review;
using Permits.Contracts.Review.V1;
using MeasuredDistance = Permits.Contracts.Review.V1.MeasuredDistance;
using Permits.Shared.Domain;

namespace Permits.Review.Tests;

/// <summary>
/// 实地核查 is done by two inspectors of the case's county: the second one named is checked with the real Identity
/// service (its demo accounts), and the visit's date must fall between the acceptance and today, China time.
/// The clock stands at 2026-11-02 10:00 China time; cases are accepted then.
/// </summary>
public abstract class When_an_inspector_records_a_site_visit(string provider) : IAsyncLifetime
{
    private ReviewHost _host = null!;

    public async Task InitializeAsync() => _host = await ReviewHost.StartAsync(provider, ManualTime.AtChinaTime(2026, 11, 2));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>A case accepted today, and a site visit by <paramref name="caller"/> (an inspector of 海盐县).</summary>
    private async Task<RecordInspectionRequest> VisitAsync(string second, string inspectedOn = "2026-11-02", string caller = "inspector-330424")
    {
        var opened = await _host.SubmitAsync();
        await _host.Client.AcceptAsync(Officers.Act(opened.CaseId, "clerk"));
        var action = Officers.Act(opened.CaseId, "inspector");
        action.OfficerId = caller;
        return ReviewHost.Located(new RecordInspectionRequest
        {
            Action = action,
            SecondInspectorId = second,
            InspectedOn = inspectedOn,
            Findings = "经营场所与住所相独立，面积与申报一致",
            MeasuredFloorArea = 34.8,
            Distances = { new MeasuredDistance { Target = "最近零售户", Meters = 86.5 } },
            PremisesCompliant = true,
        });
    }

    private async Task<BadRequest.Types.FieldViolation> RefusedAsync(RecordInspectionRequest request)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _host.Client.RecordInspectionAsync(request).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(0, await _host.CountAsync("SELECT COUNT(*) FROM review_inspections"));
        return Assert.Single(error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations);
    }

    [Theory]
    [InlineData("o-hy-clerk", "不是核查人员")]
    [InlineData("hy-reviewer", "不是核查人员")]
    [InlineData("o-js-inspector1", "不是本县")]
    [InlineData("nobody-at-all", "不是本县")]
    public async Task Should_refuse_a_second_inspector_who_is_not_an_inspector_of_the_county(string second, string said)
    {
        var violation = await RefusedAsync(await VisitAsync(second));

        Assert.Equal("second_inspector_id", violation.Field);
        Assert.Contains(said, violation.Description);
    }

    [Fact]
    public async Task Should_refuse_the_caller_named_again_by_their_username()
    {
        var violation = await RefusedAsync(await VisitAsync("hy-inspector1", caller: "o-hy-inspector1"));

        Assert.Equal(("second_inspector_id", "两名核查人员不能是同一人"), (violation.Field, violation.Description));
    }

    [Theory]
    [InlineData("2026-11-03", "不能晚于今天")]
    [InlineData("2026-11-01", "不能早于受理日期（2026-11-02）")]
    [InlineData("0001-01-01", "不能早于受理日期")]
    public async Task Should_refuse_a_visit_date_outside_the_acceptance_period(string inspectedOn, string said)
    {
        var violation = await RefusedAsync(await VisitAsync("o-hy-inspector2", inspectedOn));

        Assert.Equal("inspected_on", violation.Field);
        Assert.Contains(said, violation.Description);
    }

    [Fact]
    public async Task Should_record_another_inspector_of_the_county_by_their_officer_id_even_when_named_by_username()
    {
        var inspected = await _host.Client.RecordInspectionAsync(await VisitAsync("hy-inspector2"));

        Assert.NotEmpty(inspected.InspectionDocumentNumber);
        Assert.Equal("o-hy-inspector2", Assert.Single(await _host.QueryAsync<string>("SELECT second_inspector FROM review_inspections")));
        Assert.Contains("\"o-hy-inspector2\"", Assert.Single(await _host.OutboxBodiesAsync<SiteInspected>()));
    }
}

public sealed class When_an_inspector_records_a_site_visit_on_sqlite() : When_an_inspector_records_a_site_visit("Sqlite");

public sealed class When_an_inspector_records_a_site_visit_on_postgresql() : When_an_inspector_records_a_site_visit("PostgreSql");
