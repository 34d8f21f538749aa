using Grpc.Core;
using Permits.Contracts.Disclosure.V1;
using Permits.Contracts.Intake.V1;
using Permits.Contracts.Review.V1;
using Permits.Shared.Domain;
using Permits.Testing;

namespace Permits.EndToEnd.Tests;

/// <summary>
/// Issue 17: the 系统管理员 publishes the arrangement of the year an open case's decision period reaches into, and
/// Review's case, the applicant's page in Intake and a disclosure request's answer date all move onto it and are
/// shown final. On the embedded system's real clock, told that the year the periods end in is not yet published
/// (<c>Calendar:ProvisionalFrom</c>), so the test holds on any date. The arrangement
/// is one day off — the first weekday of that year on which the periods still run — so each deadline moves to the
/// next weekday.
/// </summary>
public sealed class When_the_administrator_publishes_next_years_holidays : IAsyncLifetime
{
    private const string County = "330424";
    private readonly string _dataDirectory = TestData.NewFolder("embedded-tests");
    private EmbeddedUnderTest _system = null!;

    /// <summary>
    /// On any date: the year in which a decision period started today ends (counted on weekends alone) is not yet
    /// published for this system, so every deadline the test starts runs into exactly one unpublished year.
    /// </summary>
    public async Task InitializeAsync() => _system = await EmbeddedUnderTest.StartAsync(_dataDirectory, new Dictionary<string, string?>
    {
        ["Calendar:ProvisionalFrom"] = new WorkingDayCalendar([], [], []).AddWorkingDays(Today(), 20).Date.Year.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    public async Task DisposeAsync() => await _system.DisposeAsync();

    [Fact]
    public async Task Should_recount_the_open_deadlines_in_review_intake_and_disclosure_requests()
    {
        var driver = _system.Journey;
        var submitted = await driver.SubmitAsync(SampleApplications.Individual());
        var received = await driver.WaitForCaseAsync(submitted.ApplicationId, County);
        var accepted = await driver.Review.AcceptAsync(LicenceJourney.Act(received), await driver.Officers.AsAsync(County, "clerk"));
        var requests = new InformationRequests.InformationRequestsClient(_system.Channel);
        var desk = new InformationRequestDesk.InformationRequestDeskClient(_system.Channel);
        var clerk = await driver.Officers.AsAsync(County, "gongkai");
        var filed = await requests.FileRequestAsync(SampleInformationRequests.Person(County));
        var get = new GetInformationRequestRequest { RequestNumber = filed.RequestNumber };
        var request = await desk.GetRequestAsync(get, clerk);
        var shown = await driver.WaitForStatusAsync(submitted.ApplicationId, "Accepted");

        Assert.True(accepted.DueByProvisional, $"the decision day {accepted.DueBy} should reach into an unpublished year");
        Assert.True(shown.NextDeadlineProvisional);
        Assert.True(request.DueProvisional);
        var caseDue = Day(accepted.DueBy);
        var year = caseDue.Year;
        var dayOff = FirstWeekday(new DateOnly(year, 1, 1) > Today() ? new DateOnly(year, 1, 1) : Today().AddDays(1));
        Assert.True(dayOff <= caseDue);

        var admin = await driver.Officers.AsAsync(County, "admin");
        var published = await driver.Review.PublishHolidayCalendarAsync(new PublishHolidayCalendarRequest
        {
            Year = year, Holidays = { ChinaTime.Text(dayOff) }, Notice = $"国办发明电〔{year - 1}〕9号",
        }, admin);
        Assert.True(published.Changed);

        var moved = await Eventually.GetAsync(
            async () => (Case?)await driver.Review.GetCaseAsync(new GetCaseRequest { CaseId = accepted.CaseId }, await driver.Officers.AsAsync(County, "head")),
            c => !c.DueByProvisional, driver.Patience, "Review to recount the case");
        var page = await driver.WaitForStatusAsync(submitted.ApplicationId, "Accepted", a => !a.NextDeadlineProvisional);
        var answer = await Eventually.GetAsync(
            async () => (InformationRequestView?)await desk.GetRequestAsync(get, clerk), r => !r.DueProvisional, driver.Patience,
            "Disclosure to recount the request");

        Assert.Equal(ChinaTime.Text(NextWeekday(caseDue)), moved.DueBy);
        Assert.Equal(moved.DueBy, page.NextDeadline);
        Assert.Equal(moved.DueBy, page.DecisionDueBy);
        Assert.Contains(page.History, h => h.Note.Contains($"改为 {moved.DueBy}", StringComparison.Ordinal));
        Assert.Equal(ChinaTime.Text(NextWeekday(Day(request.DueOn))), answer.DueOn);
        Assert.Contains(answer.Steps, s => s.Action == "Recounted");
    }

    private static DateOnly Today() => ChinaTime.Today(TimeProvider.System);

    private static DateOnly Day(string text) => ChinaTime.TryParseDate(text, out var day) ? day : throw new FormatException(text);

    private static DateOnly FirstWeekday(DateOnly from)
    {
        var day = from;
        while (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
        {
            day = day.AddDays(1);
        }

        return day;
    }

    private static DateOnly NextWeekday(DateOnly after) => FirstWeekday(after.AddDays(1));
}
