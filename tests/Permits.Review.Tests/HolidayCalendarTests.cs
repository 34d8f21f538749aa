using Grpc.Core;
using Permits.Contracts.Calendar;
using Permits.Contracts.Review.V1;
using Permits.Shared.Security;
using Permits.Testing;

namespace Permits.Review.Tests;

/// <summary>
/// 节假日安排 as data: a 系统管理员 publishes 2027; the entry is checked, the same entry again changes nothing, a
/// correction is a new revision; the published event, once consumed, moves an open case's provisional decision day
/// onto the published calendar, with the move on the case's record.
/// </summary>
public abstract class When_a_holiday_year_is_published(string provider) : IAsyncLifetime
{
    private ReviewHost _host = null!;

    // Monday 2026-12-21: 20 working days on a weekends-only 2027 end on Monday 2027-01-18; with 2027-01-01 off, 01-19.
    public async Task InitializeAsync() => _host = await ReviewHost.StartAsync(provider, ManualTime.AtChinaTime(2026, 12, 21));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static Metadata Admin(string county = Officers.Haiyan) =>
        OfficerTokens.Headers(OfficerTokens.For($"o-{county}-admin", PermitsRoles.SystemAdmin, county, "系统管理员甲"));

    [Fact]
    public async Task Should_move_an_open_provisional_decision_day_and_record_the_move()
    {
        var opened = await _host.SubmitAsync();
        var accepted = await _host.Client.AcceptAsync(Officers.Act(opened.CaseId, "clerk"));
        Assert.Equal("2027-01-18", accepted.DueBy);
        Assert.True(accepted.DueByProvisional);

        var published = await _host.Client.PublishHolidayCalendarAsync(SampleHolidayYears.Request2027(), Admin());
        Assert.True(published.Changed);
        Assert.Equal(1, published.Revision);
        Assert.Equal(1, await _host.OutboxCountAsync<HolidayCalendarPublished>());

        // The relay is off in this host: the event is delivered as the relay would deliver it.
        await _host.PublishAndWaitAsync(SampleHolidayYears.Published2027(_host.Time.GetUtcNow()), Guid.NewGuid());

        var after = await _host.GetAsync(opened.CaseId);
        Assert.Equal("2027-01-19", after.DueBy);
        Assert.False(after.DueByProvisional);
        Assert.Equal(1, await _host.CountAsync(
            "SELECT COUNT(*) FROM review_deadlines WHERE case_id = @Id AND closed_at IS NULL AND due_by = @DueBy AND due_provisional = 0",
            new { Id = Guid.Parse(opened.CaseId), DueBy = new DateOnly(2027, 1, 19) }));
        var recorded = await _host.QueryAsync<string>(
            "SELECT detail FROM officer_audit WHERE subject_id = @Id AND action = 'RecountDeadline'", new { Id = opened.CaseId });
        Assert.Contains("2027-01-18 改为 2027-01-19", Assert.Single(recorded));
    }

    [Fact]
    public async Task Should_move_an_open_rating_follow_up_and_announce_its_new_due_day()
    {
        // Rated Monday 2026-12-28: five working days end on Monday 2027-01-04 while 2027 is provisional; with
        // 2027-01-01 off, on Tuesday 01-05.
        _host.Time.Advance(TimeSpan.FromDays(7));
        var id = Guid.NewGuid();
        await _host.PublishAndWaitAsync(
            new Permits.Contracts.Intake.ServiceRated(id, "SQ20261228000001", Officers.Haiyan, 5, true, null, _host.Time.GetUtcNow()), Guid.NewGuid());

        await _host.PublishAndWaitAsync(SampleHolidayYears.Published2027(_host.Time.GetUtcNow()), Guid.NewGuid());

        var announced = (await _host.OutboxBodiesAsync<Permits.Contracts.Review.RatingFollowUpOpened>())
            .Select(body => System.Text.Json.JsonSerializer.Deserialize<Permits.Contracts.Review.RatingFollowUpOpened>(
                body, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!.DueBy)
            .ToList();
        Assert.Equal([new DateOnly(2027, 1, 4), new DateOnly(2027, 1, 5)], announced.Order());
        Assert.Equal(1, await _host.CountAsync(
            "SELECT COUNT(*) FROM review_poor_ratings WHERE application_id = @Id AND due_by = @DueBy",
            new { Id = id, DueBy = new DateOnly(2027, 1, 5) }));
    }

    [Fact]
    public async Task Should_change_nothing_for_the_same_entry_and_keep_a_correction_as_a_new_revision()
    {
        await _host.Client.PublishHolidayCalendarAsync(SampleHolidayYears.Request2027(), Admin());

        // Any county's administrator: the calendar is national.
        var same = await _host.Client.PublishHolidayCalendarAsync(SampleHolidayYears.Request2027(), Admin(Officers.Jiashan));
        var corrected = SampleHolidayYears.Request2027();
        corrected.Holidays.Add("2027-04-05");
        var correction = await _host.Client.PublishHolidayCalendarAsync(corrected, Admin());

        Assert.False(same.Changed);
        Assert.True(correction.Changed);
        Assert.Equal(2, correction.Revision);
        Assert.Contains("更正", correction.Message);
        Assert.Equal(2, await _host.OutboxCountAsync<HolidayCalendarPublished>());
        var list = await _host.Client.ListHolidayCalendarsAsync(new ListHolidayCalendarsRequest(), Admin());
        Assert.Equal([2, 1], list.Years.Where(y => y.Year == 2027).Select(y => y.Revision));
        Assert.Contains(list.Years, y => y.Year == 2026 && y.Revision == 0);
    }

    [Fact]
    public async Task Should_let_the_administrator_publish_from_the_calendar_page_and_show_each_wrong_field()
    {
        await using var portal = await PortalUnderTest.StartAsync(new Dictionary<string, string> { ["Review"] = _host.GrpcUrl });
        using var admin = portal.Officer("permits-review", Officers.Haiyan, PermitsRoles.SystemAdmin);
        using var head = portal.Officer("permits-review", Officers.Haiyan, "head");

        var page = await admin.GetStringAsync("/admin/calendar");
        var (_, wrong) = await PortalForms.PostAsync(admin, "/admin/calendar", Fields("2027-01-01\n2027-01-04~2027-01-02", "2027-01-05", ""), page);
        var (_, published) = await PortalForms.PostAsync(admin, "/admin/calendar",
            Fields("2027-01-01~2027-01-03\n2027-02-06~2027-02-14", "2027-01-30\n2027-02-20", SampleHolidayYears.Notice2027), page);
        using var refused = await head.GetAsync("/admin/calendar");

        Assert.Contains("2027 年的节假日安排尚未录入", PortalForms.Text(page));
        Assert.Contains("<title>错误：", wrong);
        Assert.Contains("“2027-01-04~2027-01-02”不是有效的起止日期", PortalForms.Text(wrong));
        Assert.Contains("2027-01-05 本是工作日，调休上班日应是周六或周日", PortalForms.Text(wrong));
        Assert.Contains("请填写国务院办公厅通知的文号", PortalForms.Text(wrong));
        Assert.Contains("已发布2027年节假日安排（国办发明电〔2026〕9号）", PortalForms.Text(published));
        // Each run of days is a span of its own (kept whole on a phone), which Text reads as a word.
        Assert.Contains("2027 国办发明电〔2026〕9号 01-01～01-03 、 02-06～02-14 （12 天） 01-30 、 02-20", PortalForms.Text(published));
        Assert.Equal(1, await _host.OutboxCountAsync<HolidayCalendarPublished>());
        Assert.NotEqual(System.Net.HttpStatusCode.OK, refused.StatusCode);

        static Dictionary<string, string> Fields(string holidays, string workdays, string notice) => new()
        {
            ["Form.Year"] = "2027", ["Form.Notice"] = notice, ["Form.Holidays"] = holidays, ["Form.Workdays"] = workdays,
        };
    }

    [Fact]
    public async Task Should_refuse_a_wrong_entry_field_by_field_and_anyone_but_an_administrator()
    {
        var wrong = new PublishHolidayCalendarRequest { Year = 2027, Holidays = { "2027-01-01", "2028-01-01", "2027-02-01~2027-02-15" }, Workdays = { "2027-01-04", "2027-01-01" } };

        var invalid = await Assert.ThrowsAsync<RpcException>(() => _host.Client.PublishHolidayCalendarAsync(wrong, Admin()).ResponseAsync);
        var clerk = await Assert.ThrowsAsync<RpcException>(() => _host.Client.PublishHolidayCalendarAsync(
            SampleHolidayYears.Request2027(), OfficerTokens.Headers(OfficerTokens.For("o-hy-head", "head", Officers.Haiyan))).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, invalid.StatusCode);
        Assert.Contains("notice: 请填写", invalid.Status.Detail);
        Assert.Contains("2028-01-01 不在 2027 年内", invalid.Status.Detail);
        Assert.Contains("2027-01-04 本是工作日", invalid.Status.Detail);
        Assert.Contains("2027-01-01 不能既放假又上班", invalid.Status.Detail);
        Assert.Contains("连续放假 15 天", invalid.Status.Detail);
        Assert.Equal(StatusCode.PermissionDenied, clerk.StatusCode);
        Assert.Equal(0, await _host.OutboxCountAsync<HolidayCalendarPublished>());
    }
}

public sealed class When_a_holiday_year_is_published_on_sqlite() : When_a_holiday_year_is_published("Sqlite");

public sealed class When_a_holiday_year_is_published_on_postgresql() : When_a_holiday_year_is_published("PostgreSql");
