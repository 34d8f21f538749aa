using Grpc.Core;
using Permits.Contracts.Intake;
using Permits.Contracts.Review;
using Permits.Contracts.Review.V1;
using Permits.Shared.Domain;

namespace Permits.Review.Tests;

/// <summary>
/// 好差评回访: a 差评 opens a follow-up for the county head, due in working days; the head records the contact and the
/// rectification, which tells the rater once; the board counts open, overdue and closed follow-ups.
/// </summary>
public abstract class When_a_poor_rating_is_followed_up(string provider) : IAsyncLifetime
{
    private ReviewHost _host = null!;

    // Monday 2026-11-02: five working days on is Monday 2026-11-09.
    public async Task InitializeAsync() => _host = await ReviewHost.StartAsync(provider, ManualTime.AtChinaTime(2026, 11, 2));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static Metadata As(string role, string county = Officers.Haiyan) =>
        OfficerTokens.Headers(OfficerTokens.For($"o-{county}-{role}", role, county, "测试工作人员"));

    private async Task<Guid> RatedAsync(int level, string number)
    {
        var id = Guid.NewGuid();
        await _host.PublishAndWaitAsync(
            new ServiceRated(id, number, Officers.Haiyan, level, level >= 4, level >= 4 ? "窗口态度差" : null, _host.Time.GetUtcNow()), Guid.NewGuid());
        return id;
    }

    private static RecordRatingFollowUpRequest Answer(Guid id, string rectification = "窗口增设引导员，材料一次告知") => new()
    {
        ApplicationId = id.ToString(),
        ContactedOn = "2026-11-03",
        ContactMethod = "电话",
        RaterSaid = "等候时间过长",
        Rectification = rectification,
    };

    private Task<DeadlineBoard> BoardAsync() => _host.Client.GetBoardAsync(new GetBoardRequest(), As("head")).ResponseAsync;

    [Fact]
    public async Task Should_open_a_follow_up_for_a_poor_rating_only_due_in_working_days()
    {
        await RatedAsync(2, "SQ20261102000001");
        var poor = await RatedAsync(4, "SQ20261102000002");

        var board = await BoardAsync();

        var rating = Assert.Single(board.PoorRatingsWaiting);
        Assert.Equal(poor.ToString(), rating.ApplicationId);
        Assert.Equal("不满意", rating.Level);
        Assert.Equal("2026-11-09", rating.DueBy);
        Assert.False(rating.Overdue);
        Assert.Equal(1, board.RatingFollowUpsOpen);
        Assert.Equal(0, board.RatingFollowUpsOverdue);
    }

    [Fact]
    public async Task Should_announce_the_follow_up_with_its_due_day_once_for_the_reports()
    {
        await RatedAsync(1, "SQ20261102000007");
        var id = Guid.NewGuid();
        var rated = new ServiceRated(id, "SQ20261102000008", Officers.Haiyan, 5, true, "窗口态度差", _host.Time.GetUtcNow());
        var messageId = Guid.NewGuid();
        await _host.PublishAndWaitAsync(rated, messageId);
        await _host.PublishAndWaitAsync(rated, messageId);
        await _host.PublishAndWaitAsync(rated, Guid.NewGuid());

        var opened = System.Text.Json.JsonSerializer.Deserialize<RatingFollowUpOpened>(
            Assert.Single(await _host.OutboxBodiesAsync<RatingFollowUpOpened>()), new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;

        Assert.Equal((id, "SQ20261102000008", Officers.Haiyan, 5), (opened.ApplicationId, opened.ApplicationNumber, opened.CountyCode, opened.Level));
        Assert.Equal(new DateOnly(2026, 11, 9), opened.DueBy);
        Assert.Equal(rated.RatedAt, opened.RatedAt);
        Assert.Equal(1, await _host.CountAsync(
            "SELECT COUNT(*) FROM outbox_messages WHERE message_id = @Id",
            new { Id = Permits.Shared.Domain.DeterministicGuid.Create(id, nameof(RatingFollowUpOpened)) }));
    }

    [Fact]
    public async Task Should_close_with_contact_and_rectification_once_and_tell_the_rater()
    {
        var id = await RatedAsync(5, "SQ20261102000003");
        _host.Time.Advance(TimeSpan.FromDays(2));

        var clerk = await Assert.ThrowsAsync<RpcException>(() => _host.Client.RecordRatingFollowUpAsync(Answer(id), As("clerk")).ResponseAsync);
        var other = await Assert.ThrowsAsync<RpcException>(
            () => _host.Client.RecordRatingFollowUpAsync(Answer(id), As("head", Officers.Jiashan)).ResponseAsync);
        var blank = await Assert.ThrowsAsync<RpcException>(() => _host.Client.RecordRatingFollowUpAsync(Answer(id, " "), As("head")).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, clerk.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, other.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, blank.StatusCode);
        Assert.Contains("整改措施", blank.Status.Detail);
        Assert.Equal(1, (await BoardAsync()).RatingFollowUpsOpen);

        var closed = await _host.Client.RecordRatingFollowUpAsync(Answer(id), As("head"));
        var again = await Assert.ThrowsAsync<RpcException>(() => _host.Client.RecordRatingFollowUpAsync(Answer(id), As("head")).ResponseAsync);

        Assert.Equal("2026-11-03", closed.ContactedOn);
        Assert.Equal("电话", closed.ContactMethod);
        Assert.Equal("窗口增设引导员，材料一次告知", closed.Rectification);
        Assert.NotNull(closed.FollowedUpAt);
        Assert.Equal(StatusCode.FailedPrecondition, again.StatusCode);
        Assert.Contains("窗口增设引导员", Assert.Single(await _host.OutboxBodiesAsync<RatingFollowedUp>()));
        Assert.Equal(1, await _host.CountAsync(
            "SELECT COUNT(*) FROM officer_audit WHERE subject_id = @Id AND action = 'FollowUpRating' AND outcome = 'done'", new { Id = id.ToString() }));
        Assert.Equal(2, await _host.CountAsync(
            "SELECT COUNT(*) FROM officer_audit WHERE subject_id = @Id AND action = 'FollowUpRating' AND outcome = 'refused'", new { Id = id.ToString() }));
    }

    [Fact]
    public async Task Should_count_open_overdue_and_closed_follow_ups_on_the_board()
    {
        var first = await RatedAsync(4, "SQ20261102000004");
        await RatedAsync(5, "SQ20261102000005");
        _host.Time.Advance(TimeSpan.FromDays(8));

        await _host.Client.RecordRatingFollowUpAsync(Answer(first), As("head"));
        var board = await BoardAsync();

        Assert.Equal(1, board.RatingFollowUpsOpen);
        Assert.Equal(1, board.RatingFollowUpsOverdue);
        Assert.Equal(1, board.RatingFollowUpsClosedThisMonth);
        Assert.True(Assert.Single(board.PoorRatingsWaiting).Overdue);
    }

    [Fact]
    public async Task Should_let_the_head_record_it_from_the_board_page()
    {
        var id = await RatedAsync(4, "SQ20261102000006");
        await using var portal = await PortalUnderTest.StartAsync(new Dictionary<string, string> { ["Review"] = _host.GrpcUrl });
        using var head = portal.Officer("permits-review", Officers.Haiyan, "head");

        var page = await head.GetStringAsync("/officer/board");
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"");
        Assert.True(token.Success, "the board has no form to post");
        using var posted = await head.PostAsync("/officer/follow-ups", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["applicationId"] = id.ToString(), ["applicationNumber"] = "SQ20261102000006", ["contactedOn"] = "2026-11-02",
            ["contactMethod"] = "上门", ["raterSaid"] = "窗口无人", ["rectification"] = "窗口实行 AB 岗",
            ["__RequestVerificationToken"] = System.Net.WebUtility.HtmlDecode(token.Groups[1].Value),
        }));
        var after = await head.GetStringAsync("/officer/board");

        Assert.Contains("待回访差评 1 条", PortalForms.Text(page));
        Assert.Contains("登记回访： SQ20261102000006", PortalForms.Text(page));
        Assert.Equal("/officer/board#ratings", posted.Headers.Location?.OriginalString);
        Assert.Contains("已登记差评回访", after);
        Assert.Contains("本月已回访整改 1 条", PortalForms.Text(after));
        Assert.Equal(1, (await BoardAsync()).RatingFollowUpsClosedThisMonth);
    }
}

public sealed class When_a_poor_rating_is_followed_up_on_sqlite() : When_a_poor_rating_is_followed_up("Sqlite");

public sealed class When_a_poor_rating_is_followed_up_on_postgresql() : When_a_poor_rating_is_followed_up("PostgreSql");
