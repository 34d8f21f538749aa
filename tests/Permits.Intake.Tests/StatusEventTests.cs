using Permits.Contracts.Intake.V1;
using Permits.Shared.Domain;
using Permits.Testing;
using ApplicationAccepted = Permits.Contracts.Review.ApplicationAccepted;
using CertificateIssued = Permits.Contracts.Certificate.CertificateIssued;
using LicenceApproved = Permits.Contracts.Review.LicenceApproved;
using LicenceDenied = Permits.Contracts.Review.LicenceDenied;
using ShipmentDelivered = Permits.Contracts.Delivery.ShipmentDelivered;
using ShipmentDispatched = Permits.Contracts.Delivery.ShipmentDispatched;
using ShipmentProgressed = Permits.Contracts.Delivery.ShipmentProgressed;

namespace Permits.Intake.Tests;

/// <summary>
/// Each event's whole change is one UPDATE of the application with its history step (one statement on PostgreSQL):
/// the status moves only from the statuses it may move from, the event's other columns are written either way, the
/// step is recorded once per message, and a concluded application gets no deadline back.
/// </summary>
public abstract class When_status_events_arrive_late_or_twice(string provider) : IAsyncLifetime
{
    private const string LicenceNumber = "330424100077";

    private IntakeHost _host = null!;

    public async Task InitializeAsync() => _host = await IntakeHost.StartAsync(provider);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static DateTimeOffset Now() => DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());

    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));

    private async Task<Application> MineAsync(string id) =>
        await _host.Client.GetMyApplicationAsync(new GetApplicationRequest { ApplicationId = id }, IntakeHost.As());

    private static ApplicationAccepted Acceptance(Guid id, DateTimeOffset at) =>
        new(id, Guid.NewGuid(), "330424", "盐烟受〔2026〕31号", "officer-330424-clerk", at, Today.AddDays(30), DueDateProvisional: false)
        {
            PromisedDecisionDueBy = Today.AddDays(21),
        };

    private static LicenceApproved Approval(Guid id, string number, DateTimeOffset at) =>
        When_certificate_applies_a_licence_step.Approval(id, number, at);

    private static CertificateIssued Issue(Guid id, string number, DateTimeOffset at) => new(
        Guid.NewGuid(), id, number, "330424", LicenceNumber, "海盐县武原便利店",
        DateOnly.FromDateTime(at.UtcDateTime), DateOnly.FromDateTime(at.UtcDateTime).AddYears(5), at);

    [Fact]
    public async Task Should_record_each_event_once_when_every_one_is_delivered_again()
    {
        var submitted = await _host.Client.SubmitAsync(SampleApplications.Individual(), IntakeHost.As());
        var id = Guid.Parse(submitted.ApplicationId);
        var at = Now().AddMinutes(1);
        var shipment = Guid.NewGuid();
        // Each event published as its own type (the consumer's), with a message id given.
        Func<Guid, Task>[] journey =
        [
            messageId => _host.PublishAndWaitAsync(Acceptance(id, at), messageId),
            messageId => _host.PublishAndWaitAsync(Approval(id, submitted.ApplicationNumber, at.AddMinutes(1)), messageId),
            messageId => _host.PublishAndWaitAsync(Issue(id, submitted.ApplicationNumber, at.AddMinutes(2)), messageId),
            messageId => _host.PublishAndWaitAsync(new ShipmentDispatched(shipment, id, "顺丰速运", "SF1234567890", at.AddMinutes(3)), messageId),
            messageId => _host.PublishAndWaitAsync(
                new ShipmentProgressed(shipment, id, "SF1234567890", "InTransit", "快件已到达海盐转运中心", at.AddMinutes(4)), messageId),
            messageId => _host.PublishAndWaitAsync(new ShipmentDelivered(shipment, id, "SF1234567890", "张三", at.AddMinutes(5)), messageId),
        ];

        foreach (var publish in journey)
        {
            var messageId = Guid.NewGuid();
            await publish(messageId);
            var once = await MineAsync(submitted.ApplicationId);
            await publish(messageId);
            Assert.Equal(once, await MineAsync(submitted.ApplicationId));
        }

        var delivered = await MineAsync(submitted.ApplicationId);
        Assert.Equal(
            ["Submitted", "Accepted", "Approved", "CertificateIssued", "Dispatched", "Tracking", "Delivered"],
            delivered.History.Select(h => h.Status));
        Assert.Equal("Delivered", delivered.Status);
        Assert.Equal(LicenceNumber, delivered.LicenceNumber);
        Assert.Equal("SF1234567890", delivered.WaybillNumber);
        Assert.Equal(ChinaTime.Text(Today.AddDays(30)), delivered.DecisionDueBy);
        Assert.Equal("", delivered.NextDeadline);
        Assert.Equal(7, await _host.ScalarAsync<long>(
            "SELECT COUNT(*) FROM application_history WHERE application_id = @Id", new { Id = id }));
    }

    [Fact]
    public async Task Should_keep_a_delivered_application_delivered_and_without_a_deadline_when_earlier_events_come_last()
    {
        var submitted = await _host.Client.SubmitAsync(SampleApplications.Individual(), IntakeHost.As());
        var id = Guid.Parse(submitted.ApplicationId);
        var at = Now().AddMinutes(1);
        await _host.PublishAndWaitAsync(new ShipmentDelivered(Guid.NewGuid(), id, "SF100", "张三", at.AddMinutes(5)), Guid.NewGuid());

        await _host.PublishAndWaitAsync(Issue(id, submitted.ApplicationNumber, at.AddMinutes(2)), Guid.NewGuid());
        await _host.PublishAndWaitAsync(Approval(id, submitted.ApplicationNumber, at.AddMinutes(1)), Guid.NewGuid());

        var mine = await MineAsync(submitted.ApplicationId);
        Assert.Equal("Delivered", mine.Status);
        Assert.True(mine.CanRate);
        // The status stays, the steps are recorded (in the order they happened), and what the events carry is kept.
        Assert.Equal(["Submitted", "Approved", "CertificateIssued", "Delivered"], mine.History.Select(h => h.Status));
        Assert.Equal(LicenceNumber, mine.LicenceNumber);
        Assert.Equal("", mine.NextDeadline);
        Assert.Equal("", mine.NextDeadlineKind);
    }

    [Fact]
    public async Task Should_keep_the_service_deadline_when_the_acceptance_arrives_after_the_approval()
    {
        var submitted = await _host.Client.SubmitAsync(SampleApplications.Individual(), IntakeHost.As());
        var id = Guid.Parse(submitted.ApplicationId);
        var at = Now().AddMinutes(1);
        await _host.PublishAndWaitAsync(Approval(id, submitted.ApplicationNumber, at.AddMinutes(1)), Guid.NewGuid());
        var approved = await MineAsync(submitted.ApplicationId);
        Assert.Equal("Service", approved.NextDeadlineKind);

        await _host.PublishAndWaitAsync(Acceptance(id, at), Guid.NewGuid());

        var mine = await MineAsync(submitted.ApplicationId);
        Assert.Equal("Approved", mine.Status);
        Assert.Equal("Service", mine.NextDeadlineKind);
        Assert.Equal(approved.NextDeadline, mine.NextDeadline);
        // What the acceptance carries is still recorded: its step and the decision's legal date.
        Assert.Equal(["Submitted", "Accepted", "Approved"], mine.History.Select(h => h.Status));
        Assert.Equal(ChinaTime.Text(Today.AddDays(30)), mine.DecisionDueBy);
    }

    [Fact]
    public async Task Should_keep_the_approval_and_its_service_deadline_when_a_refusal_arrives_after_it()
    {
        var submitted = await _host.Client.SubmitAsync(SampleApplications.Individual(), IntakeHost.As());
        var id = Guid.Parse(submitted.ApplicationId);
        var at = Now().AddMinutes(1);
        await _host.PublishAndWaitAsync(Approval(id, submitted.ApplicationNumber, at), Guid.NewGuid());
        var approved = await MineAsync(submitted.ApplicationId);

        await _host.PublishAndWaitAsync(new LicenceDenied(id, Guid.NewGuid(), "330424", "盐烟专不许〔2026〕9号", ["间距不符合规定"],
            "如不服，可依法申请行政复议或者提起行政诉讼。", "officer-330424-head", at.AddMinutes(1), Today.AddDays(10)), Guid.NewGuid());

        var mine = await MineAsync(submitted.ApplicationId);
        Assert.Equal("Approved", mine.Status);
        Assert.Equal("Service", mine.NextDeadlineKind);
        Assert.Equal(approved.NextDeadline, mine.NextDeadline);
        Assert.Equal(["Submitted", "Approved", "Denied"], mine.History.Select(h => h.Status));
    }

    [Fact]
    public async Task Should_stop_the_deadline_when_a_refusal_finds_the_application_undecided()
    {
        var submitted = await _host.Client.SubmitAsync(SampleApplications.Individual(), IntakeHost.As());
        var id = Guid.Parse(submitted.ApplicationId);
        var at = Now().AddMinutes(1);
        await _host.PublishAndWaitAsync(Acceptance(id, at), Guid.NewGuid());
        Assert.Equal("Decision", (await MineAsync(submitted.ApplicationId)).NextDeadlineKind);

        await _host.PublishAndWaitAsync(new LicenceDenied(id, Guid.NewGuid(), "330424", "盐烟专不许〔2026〕10号", ["间距不符合规定"],
            "如不服，可依法申请行政复议或者提起行政诉讼。", "officer-330424-head", at.AddMinutes(1), Today.AddDays(10)), Guid.NewGuid());

        var mine = await MineAsync(submitted.ApplicationId);
        Assert.Equal("Denied", mine.Status);
        Assert.Equal("", mine.NextDeadlineKind);
        Assert.Equal(["Submitted", "Accepted", "Denied"], mine.History.Select(h => h.Status));
    }
}

public sealed class When_status_events_arrive_late_or_twice_on_sqlite() : When_status_events_arrive_late_or_twice("Sqlite");

public sealed class When_status_events_arrive_late_or_twice_on_postgresql() : When_status_events_arrive_late_or_twice("PostgreSql");
