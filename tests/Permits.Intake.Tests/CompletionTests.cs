using Permits.Contracts.Intake.V1;
using Permits.Testing;
using CertificateIssued = Permits.Contracts.Certificate.CertificateIssued;
using CertificateResumed = Permits.Contracts.Certificate.CertificateResumed;
using CertificateRevoked = Permits.Contracts.Certificate.CertificateRevoked;
using CertificateSuspended = Permits.Contracts.Certificate.CertificateSuspended;
using DeliveryFailed = Permits.Contracts.Delivery.DeliveryFailed;
using LicenceApproved = Permits.Contracts.Review.LicenceApproved;
using ShipmentAwaitingPickup = Permits.Contracts.Delivery.ShipmentAwaitingPickup;
using ShipmentDelivered = Permits.Contracts.Delivery.ShipmentDelivered;
using ShipmentDispatched = Permits.Contracts.Delivery.ShipmentDispatched;
using ShipmentProgressed = Permits.Contracts.Delivery.ShipmentProgressed;

namespace Permits.Intake.Tests;

/// <summary>The shopkeeper's application when Certificate has applied it to the licence (停业, 恢复营业, 歇业, 注销).</summary>
public abstract class When_certificate_applies_a_licence_step(string provider) : IAsyncLifetime
{
    private const string LicenceNumber = "330424100001";

    private IntakeHost _host = null!;

    public async Task InitializeAsync() => _host = await IntakeHost.StartAsync(provider);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    internal static SubmitApplicationRequest Request(RequestType type)
    {
        var request = SampleApplications.Individual();
        request.RequestType = type;
        request.LicenceNumber = LicenceNumber;
        var today = DateTime.UtcNow.AddHours(8).Date;
        switch (type)
        {
            case RequestType.Suspend:
                request.SuspendFrom = today.AddDays(7).ToString("yyyy-MM-dd");
                request.SuspendUntil = today.AddDays(7 + 89).ToString("yyyy-MM-dd");
                break;
            case RequestType.Renewal:
                request.LicenceValidTo = today.AddDays(60).ToString("yyyy-MM-dd");
                break;
            case RequestType.Change:
                request.ChangeItems.Add(ChangeItem.BusinessName);
                break;
        }

        return request;
    }

    internal static LicenceApproved Approval(Guid applicationId, string number, DateTimeOffset at) => new(
        applicationId, Guid.NewGuid(), number, "330424", "IndividualBusiness", "海盐县武原便利店", null, "张三",
        "海盐县武原街道海滨东路 1 号", null, "盐烟许〔2026〕7号", "hy-head", at, DateOnly.FromDateTime(at.UtcDateTime).AddDays(14));

    /// <summary>What Certificate publishes for the request type, as it comes from an approved application.</summary>
    private Task PublishStepAsync(RequestType type, Guid? requestApplicationId, DateTimeOffset at, Guid messageId)
    {
        var certificateId = Guid.NewGuid();
        var licenceApplication = Guid.NewGuid(); // the 新办 that issued the licence, not this request
        const string reason = "准予行政许可决定书 盐烟许〔2026〕7号";
        return type switch
        {
            RequestType.Suspend => _host.PublishAndWaitAsync(
                new CertificateSuspended(certificateId, licenceApplication, "330424", LicenceNumber, 1, reason, "hy-head", at)
                    { RequestApplicationId = requestApplicationId }, messageId),
            RequestType.Resume => _host.PublishAndWaitAsync(
                new CertificateResumed(certificateId, licenceApplication, "330424", LicenceNumber, 1, "hy-head", at)
                    { RequestApplicationId = requestApplicationId }, messageId),
            RequestType.Close => _host.PublishAndWaitAsync(
                new CertificateRevoked(certificateId, licenceApplication, "330424", LicenceNumber, 1, "Closed", reason, "hy-head", at)
                    { RequestApplicationId = requestApplicationId }, messageId),
            RequestType.Cancel => _host.PublishAndWaitAsync(
                new CertificateRevoked(certificateId, licenceApplication, "330424", LicenceNumber, 1, "Cancelled", reason, "hy-head", at)
                    { RequestApplicationId = requestApplicationId }, messageId),
            _ => throw new ArgumentOutOfRangeException(nameof(type)),
        };
    }

    private async Task<SubmitApplicationResponse> SubmitAsync(RequestType type) =>
        await _host.Client.SubmitAsync(Request(type), IntakeHost.As());

    private async Task<Application> MineAsync(string id) =>
        await _host.Client.GetMyApplicationAsync(new GetApplicationRequest { ApplicationId = id }, IntakeHost.As());

    private static DateTimeOffset Now() => DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());

    [Theory]
    [InlineData(RequestType.Suspend, "停业")]
    [InlineData(RequestType.Resume, "恢复营业")]
    [InlineData(RequestType.Close, "歇业")]
    [InlineData(RequestType.Cancel, "注销")]
    public async Task Should_conclude_the_application_and_offer_the_rating(RequestType type, string step)
    {
        var submitted = await SubmitAsync(type);
        var id = Guid.Parse(submitted.ApplicationId);
        var approvedAt = Now().AddMinutes(1);
        await _host.PublishAndWaitAsync(Approval(id, submitted.ApplicationNumber, approvedAt), Guid.NewGuid());
        var approved = await MineAsync(submitted.ApplicationId);
        Assert.Equal("Approved", approved.Status);
        Assert.False(approved.CanRate);
        var appliedAt = approvedAt.AddMinutes(1);

        await PublishStepAsync(type, id, appliedAt, Guid.NewGuid());

        var done = await MineAsync(submitted.ApplicationId);
        Assert.Equal("Completed", done.Status);
        Assert.Equal("已办结", done.StatusLabel);
        Assert.True(done.CanRate);
        Assert.Equal(LicenceNumber, done.LicenceNumber);
        Assert.Equal("", done.NextDeadline); // no 送达期限 left running: nothing is served
        var last = done.History.Last();
        Assert.Equal("Completed", last.Status);
        Assert.Equal(appliedAt, last.At.ToDateTimeOffset());
        Assert.Contains($"已{step}", last.Note);
        Assert.Equal(["Submitted", "Approved", "Completed"], done.History.Select(h => h.Status));

        var rated = await _host.Client.RateAsync(
            new RateServiceRequest { ApplicationId = submitted.ApplicationId, Level = RatingLevel.VerySatisfied }, IntakeHost.As());
        Assert.Equal(RatingLevel.VerySatisfied, rated.Rating);
        Assert.False(rated.CanRate);

        var publicView = await _host.Client.GetApplicationAsync(new GetApplicationRequest { ApplicationNumber = submitted.ApplicationNumber, QueryCode = submitted.QueryCode });
        Assert.Equal("已办结", publicView.StatusLabel);
    }

    [Fact]
    public async Task Should_change_nothing_when_the_event_is_delivered_again()
    {
        var submitted = await SubmitAsync(RequestType.Cancel);
        var id = Guid.Parse(submitted.ApplicationId);
        var messageId = Guid.NewGuid();
        var at = Now().AddMinutes(1);
        await PublishStepAsync(RequestType.Cancel, id, at, messageId);
        var first = await MineAsync(submitted.ApplicationId);
        var historyRows = await _host.CountAsync("application_history");

        await PublishStepAsync(RequestType.Cancel, id, at.AddMinutes(3), messageId);

        var again = await MineAsync(submitted.ApplicationId);
        Assert.Equal("Completed", first.Status);
        Assert.Equal(first, again);
        Assert.Equal(historyRows, await _host.CountAsync("application_history"));
        Assert.Equal(1, await _host.ScalarAsync<long>(
            "SELECT COUNT(*) FROM application_history WHERE status = @Status", new { Status = "Completed" }));
    }

    [Fact]
    public async Task Should_keep_the_end_state_when_the_approval_arrives_after_the_step()
    {
        var submitted = await SubmitAsync(RequestType.Suspend);
        var id = Guid.Parse(submitted.ApplicationId);
        var approvedAt = Now().AddMinutes(1);
        await PublishStepAsync(RequestType.Suspend, id, approvedAt.AddMinutes(1), Guid.NewGuid());

        await _host.PublishAndWaitAsync(Approval(id, submitted.ApplicationNumber, approvedAt), Guid.NewGuid());

        var done = await MineAsync(submitted.ApplicationId);
        Assert.Equal("Completed", done.Status);
        Assert.True(done.CanRate);
        Assert.Equal("", done.NextDeadline);
        Assert.Equal(["Submitted", "Approved", "Completed"], done.History.Select(h => h.Status));
    }

    [Fact]
    public async Task Should_ignore_a_step_an_officer_took_without_an_application()
    {
        var submitted = await SubmitAsync(RequestType.Resume);
        var before = await MineAsync(submitted.ApplicationId);

        await PublishStepAsync(RequestType.Resume, null, Now(), Guid.NewGuid());

        Assert.Equal(before, await MineAsync(submitted.ApplicationId));
        Assert.Equal("Submitted", before.Status);
    }
}

public sealed class When_certificate_applies_a_licence_step_on_sqlite() : When_certificate_applies_a_licence_step("Sqlite");

public sealed class When_certificate_applies_a_licence_step_on_postgresql() : When_certificate_applies_a_licence_step("PostgreSql");

/// <summary>变更, 延续 and 补办 get a new paper licence (CertificateIssued for the application): it is served like a new one.</summary>
public abstract class When_a_new_licence_document_is_served(string provider) : IAsyncLifetime
{
    private IntakeHost _host = null!;

    public async Task InitializeAsync() => _host = await IntakeHost.StartAsync(provider);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData(RequestType.Change)]
    [InlineData(RequestType.Renewal)]
    [InlineData(RequestType.Reissue)]
    public async Task Should_conclude_on_delivery_and_offer_the_rating(RequestType type)
    {
        var submitted = await _host.Client.SubmitAsync(When_certificate_applies_a_licence_step.Request(type), IntakeHost.As());
        var id = Guid.Parse(submitted.ApplicationId);
        var at = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()).AddMinutes(1);
        await _host.PublishAndWaitAsync(When_certificate_applies_a_licence_step.Approval(id, submitted.ApplicationNumber, at), Guid.NewGuid());
        await _host.PublishAndWaitAsync(new CertificateIssued(
            Guid.NewGuid(), id, submitted.ApplicationNumber, "330424", "330424100001", "海盐县武原便利店",
            DateOnly.FromDateTime(at.UtcDateTime), DateOnly.FromDateTime(at.UtcDateTime).AddYears(5), at.AddMinutes(1)) { Version = 2 }, Guid.NewGuid());
        var issued = await _host.Client.GetMyApplicationAsync(new GetApplicationRequest { ApplicationId = submitted.ApplicationId }, IntakeHost.As());
        Assert.Equal("CertificateIssued", issued.Status);
        Assert.False(issued.CanRate);

        await _host.PublishAndWaitAsync(new ShipmentDelivered(Guid.NewGuid(), id, "SF100", "张三", at.AddMinutes(30)), Guid.NewGuid());

        var delivered = await _host.Client.GetMyApplicationAsync(new GetApplicationRequest { ApplicationId = submitted.ApplicationId }, IntakeHost.As());
        Assert.Equal("Delivered", delivered.Status);
        Assert.True(delivered.CanRate);
        Assert.Equal("", delivered.NextDeadline);
    }
}

public sealed class When_a_new_licence_document_is_served_on_sqlite() : When_a_new_licence_document_is_served("Sqlite");

public sealed class When_a_new_licence_document_is_served_on_postgresql() : When_a_new_licence_document_is_served("PostgreSql");

/// <summary>The courier's words (tracking, why a delivery failed) may name people or places.</summary>
public abstract class When_the_courier_reports_on_the_licence(string provider) : IAsyncLifetime
{
    private const string CourierReason = "收件人王小明电话无人接听，包裹暂放武原街道海滨东路 8 号门卫";

    private IntakeHost _host = null!;

    public async Task InitializeAsync() => _host = await IntakeHost.StartAsync(provider);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Should_show_the_steps_to_the_owner_and_only_a_fixed_note_to_the_public()
    {
        var submitted = await _host.Client.SubmitAsync(SampleApplications.Individual(), IntakeHost.As());
        var id = Guid.Parse(submitted.ApplicationId);
        var at = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()).AddMinutes(1);
        var shipment = Guid.NewGuid();
        await _host.PublishAndWaitAsync(new ShipmentDispatched(shipment, id, "顺丰速运", "SF1234567890", at), Guid.NewGuid());
        await _host.PublishAndWaitAsync(
            new ShipmentProgressed(shipment, id, "SF1234567890", "InTransit", "快件由王小明揽收，发往海盐", at.AddMinutes(10)), Guid.NewGuid());
        await _host.PublishAndWaitAsync(new DeliveryFailed(shipment, id, "SF1234567890", CourierReason, at.AddMinutes(40)), Guid.NewGuid());
        await _host.PublishAndWaitAsync(
            new ShipmentAwaitingPickup(shipment, id, "330424", "海盐县政务服务中心一楼烟草窗口", true, at.AddMinutes(90)), Guid.NewGuid());

        var mine = await _host.Client.GetMyApplicationAsync(new GetApplicationRequest { ApplicationId = submitted.ApplicationId }, IntakeHost.As());
        var anyone = await _host.Client.GetApplicationAsync(new GetApplicationRequest { ApplicationNumber = submitted.ApplicationNumber, QueryCode = submitted.QueryCode });

        Assert.Equal(["Submitted", "Dispatched", "Tracking", "DeliveryFailed", "AwaitingPickup"], mine.History.Select(h => h.Status));
        Assert.Equal("AwaitingPickup", mine.Status);
        Assert.Equal("待窗口领取", mine.StatusLabel);
        Assert.Equal(CourierReason, mine.History.Single(h => h.Status == "DeliveryFailed").Note);
        Assert.Contains("王小明揽收", mine.History.Single(h => h.Status == "Tracking").Note);
        Assert.Contains("海盐县政务服务中心", mine.History.Single(h => h.Status == "AwaitingPickup").Note);

        Assert.Equal(mine.History.Select(h => h.Status), anyone.History.Select(h => h.Status));
        Assert.Equal("投递未成功", anyone.History.Single(h => h.Status == "DeliveryFailed").Label);
        // The public view has no notes at all: neither the courier's words nor anyone else's.
        Assert.DoesNotContain("王小明", anyone.ToString());
        Assert.DoesNotContain("门卫", anyone.ToString());
    }
}

public sealed class When_the_courier_reports_on_the_licence_on_sqlite() : When_the_courier_reports_on_the_licence("Sqlite");

public sealed class When_the_courier_reports_on_the_licence_on_postgresql() : When_the_courier_reports_on_the_licence("PostgreSql");
