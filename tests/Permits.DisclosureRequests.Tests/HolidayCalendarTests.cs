using Permits.Contracts.Disclosure.V1;
using Permits.Testing;

namespace Permits.DisclosureRequests.Tests;

/// <summary>
/// A request filed before 2027 is published has a provisional answer date (weekends only in 2027); the 2027
/// arrangement moves it, shows it final, and the request's trail records the move.
/// </summary>
public abstract class When_a_holiday_year_is_published(Engine engine) : IAsyncLifetime
{
    private RequestsHost _host = null!;

    public async Task InitializeAsync() => _host = await RequestsHost.StartAsync(engine);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Should_move_the_provisional_answer_date_and_record_it_on_the_trail()
    {
        // Filed Monday 2026-12-21: 20 working days end Monday 2027-01-18 on a weekends-only 2027; with 01-01 off, 01-19.
        _host.Time.Set(2026, 12, 21);
        var filed = await _host.Public.FileRequestAsync(Samples.Person());
        var get = new GetInformationRequestRequest { RequestNumber = filed.RequestNumber };
        var before = await _host.Desk.GetRequestAsync(get, RequestsHost.Clerk());
        Assert.Equal("2027-01-18", before.DueOn);
        Assert.True(before.DueProvisional);

        await _host.PublishAndWaitAsync(SampleHolidayYears.Published2027(_host.Time.GetUtcNow()), Guid.NewGuid());

        var after = await _host.Desk.GetRequestAsync(get, RequestsHost.Clerk());
        Assert.Equal("2027-01-19", after.DueOn);
        Assert.False(after.DueProvisional);
        Assert.Equal(before.Version + 1, after.Version);
        var step = Assert.Single(after.Steps, s => s.Action == "Recounted");
        Assert.Contains("答复期限：2027-01-18 改为 2027-01-19", step.Detail);
    }
}

public sealed class When_a_holiday_year_is_published_on_sqlite() : When_a_holiday_year_is_published(Engine.Sqlite);

public sealed class When_a_holiday_year_is_published_on_postgresql() : When_a_holiday_year_is_published(Engine.PostgreSql);
