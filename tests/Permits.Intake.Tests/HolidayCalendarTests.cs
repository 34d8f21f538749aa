using Permits.Contracts.Intake.V1;
using Permits.Contracts.Review;
using Permits.Testing;

namespace Permits.Intake.Tests;

/// <summary>
/// The decision date an applicant was shown on a provisional 2027 (weekends only) moves when the 2027 arrangement is
/// published, is shown as final, and the history says what moved; a redelivered publication moves nothing again.
/// </summary>
public abstract class When_a_holiday_year_is_published(string provider) : IAsyncLifetime
{
    private readonly ManualTime _time = ManualTime.AtChinaTime(2026, 12, 21);
    private IntakeHost _host = null!;

    public async Task InitializeAsync() => _host = await IntakeHost.StartAsync(provider, time: _time);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<Application> MineAsync(string id) =>
        _host.Client.GetMyApplicationAsync(new GetApplicationRequest { ApplicationId = id }, IntakeHost.As()).ResponseAsync;

    [Fact]
    public async Task Should_move_the_provisional_decision_date_show_it_final_and_say_so_in_the_history()
    {
        var submitted = await _host.Client.SubmitAsync(SampleApplications.Individual(), IntakeHost.As());
        var id = Guid.Parse(submitted.ApplicationId);
        // Accepted Monday 2026-12-21: Review's 20 working days on a weekends-only 2027 end on Monday 2027-01-18.
        await _host.PublishAndWaitAsync(new ApplicationAccepted(id, Guid.NewGuid(), "330424", "盐烟受〔2026〕21号", "officer-330424-clerk",
            _time.GetUtcNow(), new DateOnly(2027, 1, 18), DueDateProvisional: true), Guid.NewGuid());
        var accepted = await MineAsync(submitted.ApplicationId);
        Assert.Equal("2027-01-18", accepted.NextDeadline);
        Assert.True(accepted.NextDeadlineProvisional);

        var published = SampleHolidayYears.Published2027(_time.GetUtcNow());
        var messageId = Guid.NewGuid();
        await _host.PublishAndWaitAsync(published, messageId);
        await _host.PublishAndWaitAsync(published, messageId);

        var moved = await MineAsync(submitted.ApplicationId);
        Assert.Equal("2027-01-19", moved.NextDeadline);
        Assert.Equal("2027-01-19", moved.DecisionDueBy);
        Assert.False(moved.NextDeadlineProvisional);
        var step = Assert.Single(moved.History, h => h.Status == "Recounted");
        Assert.Contains("审批期限：2027-01-18 改为 2027-01-19", step.Note);
        Assert.Contains(SampleHolidayYears.Notice2027, step.Note);
    }
}

public sealed class When_a_holiday_year_is_published_on_sqlite() : When_a_holiday_year_is_published("Sqlite");

public sealed class When_a_holiday_year_is_published_on_postgresql() : When_a_holiday_year_is_published("PostgreSql");
