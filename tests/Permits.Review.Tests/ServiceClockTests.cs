using Grpc.Core;
using Permits.Contracts.Delivery;
using Permits.Contracts.Documents;
using Permits.Contracts.Review;
using Permits.Contracts.Review.V1;
using Permits.Shared.Domain;

namespace Permits.Review.Tests;

/// <summary>
/// 送达: every decision starts the service limit (one rule, <see cref="ServiceClock"/>), and service recorded in any
/// way — opened in the Portal, delivered by post, handed over at the hall, the licence's delivery — stops it.
/// </summary>
public abstract class When_a_decision_is_served(string provider) : IAsyncLifetime
{
    private ReviewHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await ReviewHost.StartAsync(provider, ManualTime.AtChinaTime(2026, 11, 2));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<Case> DeniedAsync()
    {
        var opened = await _host.SubmitAsync();
        await _host.Client.AcceptAsync(Officers.Act(opened.CaseId, "clerk"));
        await _host.InspectAndReviewAsync(opened.CaseId);
        var request = new ReasonedActionRequest { Action = Officers.Act(opened.CaseId, "head") };
        request.GroundCodes.Add("Layout");
        return await _host.Client.DenyAsync(request);
    }

    private async Task<Case> ServedAsync(Case decided, ServiceMethod method)
    {
        await _host.PublishAsync(new DocumentServed(
            Guid.Parse(decided.ApplicationId), Guid.Parse(decided.CaseId), decided.CountyCode,
            decided.Stage == "Approved" ? OfficialDocuments.Approval : decided.Stage == "Denied" ? OfficialDocuments.Denial : OfficialDocuments.NotAccepted,
            decided.DecisionDocumentNumber, method, _host.Time.GetUtcNow(), method == ServiceMethod.Electronic ? null : "o-hy-clerk"));
        return await Permits.Testing.Eventually.GetAsync<Case>(
            async () => await _host.GetAsync(decided.CaseId), c => c.ClockPhase == "Stopped", TimeSpan.FromSeconds(30), "the service clock to stop");
    }

    [Theory]
    [InlineData(ServiceMethod.Electronic, "电子送达")]
    [InlineData(ServiceMethod.Post, "邮寄送达")]
    [InlineData(ServiceMethod.Hall, "直接送达")]
    public async Task Should_stop_the_clock_of_a_denial_and_record_how_it_was_served(ServiceMethod method, string label)
    {
        var denied = await DeniedAsync();
        Assert.Equal("Service", denied.ClockPhase);
        _host.Time.SetChinaDate(new DateOnly(2026, 11, 5));

        var served = await ServedAsync(denied, method);

        Assert.Equal(method.ToString(), served.ServedMethod);
        Assert.Equal(label, served.ServedMethodLabel);
        Assert.Equal(new DateOnly(2026, 11, 5), ChinaTime.DateOf(served.ServedAt.ToDateTimeOffset()));
        _host.Time.SetChinaDate(new DateOnly(2026, 12, 31));
        Assert.Equal(0, await _host.Watcher.RunOnceAsync(default));
        Assert.Equal(0, await _host.OutboxCountAsync<DeadlineBreached>());
    }

    [Fact]
    public async Task Should_stop_the_clock_of_a_refusal_to_accept_when_it_is_served()
    {
        var opened = await _host.SubmitAsync();
        var request = new ReasonedActionRequest { Action = Officers.Act(opened.CaseId, "clerk") };
        request.GroundCodes.Add("NotInScope");
        var refused = await _host.Client.NotAcceptAsync(request);

        var served = await ServedAsync(refused, ServiceMethod.Hall);

        Assert.Equal("Hall", served.ServedMethod);
    }

    [Fact]
    public async Task Should_breach_when_a_denial_is_not_served_by_the_tenth_working_day()
    {
        var denied = await DeniedAsync();
        Assert.Equal("2026-11-16", denied.DueBy);

        _host.Time.SetChinaDate(new DateOnly(2026, 11, 16));
        await _host.Watcher.RunOnceAsync(default);
        Assert.Equal(0, await _host.OutboxCountAsync<DeadlineBreached>());
        _host.Time.SetChinaDate(new DateOnly(2026, 11, 17));
        await _host.Watcher.RunOnceAsync(default);

        var body = Assert.Single(await _host.OutboxBodiesAsync<DeadlineBreached>());
        Assert.Contains("\"kind\":\"Service\"", body);
    }

    [Fact]
    public async Task Should_ignore_the_service_of_a_document_that_is_not_the_decision()
    {
        var denied = await DeniedAsync();

        await _host.PublishAsync(new DocumentServed(
            Guid.Parse(denied.ApplicationId), Guid.Parse(denied.CaseId), denied.CountyCode, OfficialDocuments.Acceptance,
            denied.AcceptanceDocumentNumber, ServiceMethod.Electronic, _host.Time.GetUtcNow(), null));
        // Then the decision itself: the first event must have changed nothing by the time this one is seen.
        var served = await ServedAsync(denied, ServiceMethod.Post);

        Assert.Equal("Post", served.ServedMethod);
    }

    [Fact]
    public async Task Should_record_a_licence_collected_at_the_hall_as_served_there()
    {
        var opened = await _host.SubmitAsync();
        await _host.Client.AcceptAsync(Officers.Act(opened.CaseId, "clerk"));
        await _host.InspectAndReviewAsync(opened.CaseId);
        await _host.Client.ApproveAsync(Officers.Act(opened.CaseId, "head"));

        await _host.PublishAsync(new ShipmentDelivered(Guid.NewGuid(), Guid.Parse(opened.ApplicationId), "", "张*", _host.Time.GetUtcNow()));

        var served = await Permits.Testing.Eventually.GetAsync<Case>(
            async () => await _host.GetAsync(opened.CaseId), c => c.ClockPhase == "Stopped", TimeSpan.FromSeconds(30), "the service clock to stop");
        Assert.Equal("Hall", served.ServedMethod);
    }

    [Fact]
    public async Task Should_refuse_an_unknown_ground_naming_it_and_change_nothing()
    {
        var opened = await _host.SubmitAsync();
        var request = new ReasonedActionRequest { Action = Officers.Act(opened.CaseId, "clerk") };
        request.GroundCodes.Add("NotInScope");
        request.GroundCodes.Add("Astrology");

        var refused = await Assert.ThrowsAsync<RpcException>(() => _host.Client.NotAcceptAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("Astrology", refused.Status.Detail);
        Assert.DoesNotContain("NotInScope", refused.Status.Detail);
        Assert.Equal("AwaitingAcceptance", (await _host.GetAsync(opened.CaseId)).Stage);
        Assert.Equal(0, await _host.OutboxCountAsync<ApplicationNotAccepted>());
    }

    [Fact]
    public async Task Should_refuse_a_refusal_without_a_legal_ground()
    {
        var opened = await _host.SubmitAsync();
        var request = new ReasonedActionRequest { Action = Officers.Act(opened.CaseId, "clerk") };
        request.Reasons.Add("材料不全");

        var refused = await Assert.ThrowsAsync<RpcException>(() => _host.Client.NotAcceptAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal("AwaitingAcceptance", (await _host.GetAsync(opened.CaseId)).Stage);
    }

    [Fact]
    public async Task Should_list_the_national_grounds_and_only_the_county_s_own_additions()
    {
        var haiyan = await _host.Client.ListRefusalGroundsAsync(new ListRefusalGroundsRequest(),
            OfficerTokens.Headers(OfficerTokens.For("o-hy-clerk", "clerk", Officers.Haiyan)));
        var jiashan = await _host.Client.ListRefusalGroundsAsync(new ListRefusalGroundsRequest(),
            OfficerTokens.Headers(OfficerTokens.For("o-js-clerk", "clerk", Officers.Jiashan)));

        Assert.Contains(haiyan.Grounds, g => g.Code == "NearSchool" && g.Basis.Contains("未成年人保护法"));
        Assert.Contains(haiyan.Grounds, g => g.Code == "GridQuotaFull");
        Assert.Contains(jiashan.Grounds, g => g.Code == "FalseMaterials");
        Assert.DoesNotContain(jiashan.Grounds, g => g.Code == "GridQuotaFull");
    }
}

public sealed class When_a_decision_is_served_on_sqlite() : When_a_decision_is_served("Sqlite");

public sealed class When_a_decision_is_served_on_postgresql() : When_a_decision_is_served("PostgreSql");
