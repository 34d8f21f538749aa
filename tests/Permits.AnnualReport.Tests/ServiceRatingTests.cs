using Permits.Contracts.Disclosure.V1;
using Permits.Contracts.Intake;
using Permits.Contracts.Review;
using Permits.Disclosure.Reports;
using Permits.Shared.Security;
using Permits.Testing;

namespace Permits.Reports.Tests;

/// <summary>
/// 好差评 in the annual report: every rating of the year counted by level, its 差评 by how their follow-up went
/// (on time, late, still open and overdue), from Intake's and Review's events in whatever order and however often they
/// arrive; the suggested text of 六 says so, and never the rater's words.
/// </summary>
public abstract class When_the_years_ratings_are_reported(Engine engine) : IAsyncLifetime
{
    private ReportHost _host = null!;

    public async Task InitializeAsync() => _host = await ReportHost.StartAsync(engine);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static DateTimeOffset At(int month, int day, int year = 2025) => new(year, month, day, 10, 0, 0, TimeSpan.FromHours(8));

    private Task RatedAsync(Guid id, int level, DateTimeOffset at, Guid? messageId = null, string county = ReportHost.Haiyan) =>
        _host.PublishAndWaitAsync(
            new ServiceRated(id, "SQ" + id.ToString("N")[..12], county, level, level >= 4, level >= 4 ? "窗口态度差，电话 13800000000" : null, at),
            messageId ?? Guid.NewGuid());

    private Task OpenedAsync(Guid id, int level, DateTimeOffset at, DateOnly due) =>
        _host.PublishAndWaitAsync(
            new RatingFollowUpOpened(id, "SQ" + id.ToString("N")[..12], ReportHost.Haiyan, level, at, due, at.AddMinutes(1)), Guid.NewGuid());

    private Task FollowedUpAsync(Guid id, DateTimeOffset at, Guid? messageId = null) =>
        _host.PublishAndWaitAsync(
            new RatingFollowedUp(id, "SQ" + id.ToString("N")[..12], ReportHost.Haiyan, "窗口增设引导员", "o-hy-head", at), messageId ?? Guid.NewGuid());

    [Fact]
    public async Task Should_count_ratings_by_level_and_each_poor_rating_by_its_follow_up_once()
    {
        var (good, fair, onTime, late, open) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var redelivered = Guid.NewGuid();
        await RatedAsync(good, 1, At(5, 6), redelivered);
        await RatedAsync(good, 1, At(5, 6), redelivered);
        await RatedAsync(fair, 2, At(5, 7));
        await RatedAsync(onTime, 4, At(6, 2));
        await OpenedAsync(onTime, 4, At(6, 2), new DateOnly(2025, 6, 9));
        var closed = Guid.NewGuid();
        await FollowedUpAsync(onTime, At(6, 5), closed);
        await FollowedUpAsync(onTime, At(6, 5), closed);
        // Review's follow-up reaches Disclosure before Intake's rating and Review's opening: the row is completed later.
        await FollowedUpAsync(late, At(7, 15));
        await OpenedAsync(late, 5, At(7, 1), new DateOnly(2025, 7, 8));
        await RatedAsync(late, 5, At(7, 1));
        await RatedAsync(open, 4, At(11, 3));
        await OpenedAsync(open, 4, At(11, 3), new DateOnly(2025, 11, 10));
        await RatedAsync(Guid.NewGuid(), 4, At(12, 30, 2024));
        await RatedAsync(Guid.NewGuid(), 1, At(6, 1), county: ReportHost.Jiashan);

        var draft = await _host.Reports.GetDraftAsync(new GetDraftRequest { CountyCode = ReportHost.Haiyan, Year = 2025 }, ReportHost.Clerk());
        var figures = draft.Report.ServiceRatings;

        Assert.Equal((5, 1, 1, 0, 2, 1), (figures.Received, figures.VerySatisfied, figures.Satisfied, figures.BasicallySatisfied,
            figures.Dissatisfied, figures.VeryDissatisfied));
        Assert.Equal((3, 1, 1, 1, 1), (figures.Poor, figures.FollowedUpOnTime, figures.FollowedUpLate, figures.Open, figures.OpenOverdue));
        Assert.Equal("2025-12-31", figures.AsOf);
        Assert.Equal(
            "本年度未收取信息处理费。本年度收到政务服务“好差评”评价5件（非常满意1件、满意1件、不满意2件、非常不满意1件），" +
            "其中差评3件，已回访整改2件（按期办结1件、逾期办结1件），截至年底尚在回访整改1件，其中已超过回访期限1件。",
            draft.SuggestedOtherMatters);
        Assert.Equal(0, await _host.ScalarAsync<long>("SELECT COUNT(*) FROM disclosure_service_ratings WHERE level IS NULL"));
        Assert.DoesNotContain("13800000000", draft.Report.ToString());
    }

    [Fact]
    public async Task Should_show_the_figures_on_the_clerks_draft_page()
    {
        await RatedAsync(Guid.NewGuid(), 3, At(3, 3));
        await using var portal = await PortalUnderTest.StartAsync(new Dictionary<string, string> { ["Disclosure"] = _host.GrpcUrl });
        using var clerk = portal.Officer(PermitsAudiences.Disclosure, ReportHost.Haiyan, PermitsRoles.DisclosureClerk);

        var page = PortalForms.Text(await clerk.GetStringAsync("/officer/annual-reports?year=2025"));

        Assert.Contains("政务服务“好差评”", page);
        Assert.Contains("本年度收到政务服务“好差评”评价1件（基本满意1件），未收到差评。", page);
    }
}

public sealed class When_the_years_ratings_are_reported_on_postgresql() : When_the_years_ratings_are_reported(Engine.PostgreSql);

public sealed class When_the_years_ratings_are_reported_on_sqlite() : When_the_years_ratings_are_reported(Engine.Sqlite);

/// <summary>The wording of 六 when there is nothing to report and when every 差评 was followed up.</summary>
public sealed class When_the_ratings_are_worded
{
    [Fact]
    public void Should_say_no_ratings_were_received()
    {
        Assert.Equal("本年度未收到政务服务“好差评”评价。", DraftTexts.Ratings(new ServiceRatings { AsOf = "2025-12-31" }));
    }

    [Fact]
    public void Should_say_every_poor_rating_was_followed_up_on_time()
    {
        var figures = new ServiceRatings { Received = 4, Satisfied = 2, Dissatisfied = 2, Poor = 2, FollowedUpOnTime = 2, AsOf = "2025-12-31" };

        Assert.Equal("本年度收到政务服务“好差评”评价4件（满意2件、不满意2件），其中差评2件，已全部回访整改，按期办结2件。", DraftTexts.Ratings(figures));
    }

    [Fact]
    public void Should_date_the_open_ones_in_a_year_not_yet_ended()
    {
        var figures = new ServiceRatings { Received = 1, VeryDissatisfied = 1, Poor = 1, Open = 1, AsOf = "2026-03-02" };

        Assert.Equal("本年度收到政务服务“好差评”评价1件（非常不满意1件），其中差评1件，截至3月2日尚在回访整改1件。", DraftTexts.Ratings(figures));
    }
}
