using Google.Rpc;
using Grpc.Core;
using Permits.Contracts.Intake.V1;
using Permits.Testing;
using ApplicationNotAccepted = Permits.Contracts.Review.ApplicationNotAccepted;

namespace Permits.Intake.Tests;

public abstract class When_a_licence_is_renewed(string provider) : IAsyncLifetime
{
    private IntakeHost _host = null!;

    public async Task InitializeAsync() => _host = await IntakeHost.StartAsync(provider);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static SubmitApplicationRequest Renewal(int daysToExpiry)
    {
        var request = SampleApplications.Individual();
        request.RequestType = RequestType.Renewal;
        request.LicenceNumber = "330424100001";
        request.LicenceValidTo = DateTime.UtcNow.AddHours(8).Date.AddDays(daysToExpiry).ToString("yyyy-MM-dd");
        return request;
    }

    [Theory]
    [InlineData(29)]
    [InlineData(0)]
    [InlineData(-3)]
    public async Task Should_refuse_a_renewal_outside_the_window_at_the_expiry_date(int daysToExpiry)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _host.Client.SubmitAsync(Renewal(daysToExpiry), IntakeHost.As()).ResponseAsync);

        var violation = Assert.Single(error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations);
        Assert.Equal("licence_valid_to", violation.Field);
        Assert.Equal(0, await _host.CountAsync("applications"));
    }

    [Theory]
    [InlineData(30)]
    [InlineData(200)]
    public async Task Should_accept_a_renewal_at_least_thirty_days_before_expiry(int daysToExpiry)
    {
        var reply = await _host.Client.SubmitAsync(Renewal(daysToExpiry), IntakeHost.As());

        var mine = await _host.Client.GetMyApplicationAsync(new GetApplicationRequest { ApplicationId = reply.ApplicationId }, IntakeHost.As());
        Assert.Equal(RequestType.Renewal, mine.RequestType);
        Assert.Equal("330424100001", mine.Form.LicenceNumber);
    }

    [Fact]
    public async Task Should_require_the_current_licence_number_for_anything_but_a_new_licence()
    {
        var request = SampleApplications.Individual();
        request.RequestType = RequestType.Change;
        request.ChangeItems.Add(ChangeItem.BusinessName);

        var error = await Assert.ThrowsAsync<RpcException>(() => _host.Client.SubmitAsync(request, IntakeHost.As()).ResponseAsync);

        Assert.Equal("licence_number", Assert.Single(error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations).Field);
    }
}

public sealed class When_a_licence_is_renewed_on_sqlite() : When_a_licence_is_renewed("Sqlite");

public sealed class When_a_licence_is_renewed_on_postgresql() : When_a_licence_is_renewed("PostgreSql");

public abstract class When_a_shopkeeper_rates_the_service(string provider) : IAsyncLifetime
{
    private IntakeHost _host = null!;

    public async Task InitializeAsync() => _host = await IntakeHost.StartAsync(provider);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<string> ConcludedAsync()
    {
        var submitted = await _host.Client.SubmitAsync(SampleApplications.Individual(), IntakeHost.As());
        await _host.PublishAsync(new ApplicationNotAccepted(
            Guid.Parse(submitted.ApplicationId), Guid.NewGuid(), "330424", "盐烟不受〔2026〕3号", ["不属于本机关职权范围"],
            "如不服，可依法申请行政复议或者提起行政诉讼。", "officer", DateTimeOffset.UtcNow));
        await Eventually.GetAsync(
            async () => await _host.Client.GetMyApplicationAsync(new GetApplicationRequest { ApplicationId = submitted.ApplicationId }, IntakeHost.As()),
            a => a.CanRate, TimeSpan.FromSeconds(20), "the case to be concluded");
        return submitted.ApplicationId;
    }

    [Fact]
    public async Task Should_take_one_rating_per_case_and_flag_a_bad_one()
    {
        var id = await ConcludedAsync();

        var rated = await _host.Client.RateAsync(new RateServiceRequest
        {
            ApplicationId = id, Level = RatingLevel.Dissatisfied, Comment = "窗口告知不清楚",
        }, IntakeHost.As());
        var again = await Assert.ThrowsAsync<RpcException>(() => _host.Client.RateAsync(
            new RateServiceRequest { ApplicationId = id, Level = RatingLevel.VerySatisfied }, IntakeHost.As()).ResponseAsync);

        Assert.Equal(RatingLevel.Dissatisfied, rated.Rating);
        Assert.False(rated.CanRate);
        Assert.Equal(StatusCode.AlreadyExists, again.StatusCode);
        Assert.Equal(1, await _host.ScalarAsync<long>("SELECT COUNT(*) FROM service_ratings WHERE needs_follow_up = @Yes", new { Yes = true }));
        Assert.Equal(1, await _host.ScalarAsync<long>("SELECT COUNT(*) FROM outbox_messages WHERE message_type LIKE '%ServiceRated%'"));
    }

    [Fact]
    public async Task Should_not_flag_a_good_rating()
    {
        var id = await ConcludedAsync();

        await _host.Client.RateAsync(new RateServiceRequest { ApplicationId = id, Level = RatingLevel.BasicallySatisfied }, IntakeHost.As());

        Assert.Equal(0, await _host.ScalarAsync<long>("SELECT COUNT(*) FROM service_ratings WHERE needs_follow_up = @Yes", new { Yes = true }));
        Assert.Equal(1, await _host.CountAsync("service_ratings"));
    }

    [Fact]
    public async Task Should_refuse_a_rating_before_the_case_is_concluded_or_by_someone_else()
    {
        var submitted = await _host.Client.SubmitAsync(SampleApplications.Individual(), IntakeHost.As());
        var concluded = await ConcludedAsync();

        var early = await Assert.ThrowsAsync<RpcException>(() => _host.Client.RateAsync(
            new RateServiceRequest { ApplicationId = submitted.ApplicationId, Level = RatingLevel.Satisfied }, IntakeHost.As()).ResponseAsync);
        var stranger = await Assert.ThrowsAsync<RpcException>(() => _host.Client.RateAsync(
            new RateServiceRequest { ApplicationId = concluded, Level = RatingLevel.Satisfied }, IntakeHost.As("13900572345")).ResponseAsync);
        var noLevel = await Assert.ThrowsAsync<RpcException>(() => _host.Client.RateAsync(
            new RateServiceRequest { ApplicationId = concluded }, IntakeHost.As()).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, early.StatusCode);
        Assert.Equal(StatusCode.NotFound, stranger.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, noLevel.StatusCode);
        Assert.Equal(0, await _host.CountAsync("service_ratings"));
    }
}

public sealed class When_a_shopkeeper_rates_the_service_on_sqlite() : When_a_shopkeeper_rates_the_service("Sqlite");

public sealed class When_a_shopkeeper_rates_the_service_on_postgresql() : When_a_shopkeeper_rates_the_service("PostgreSql");
