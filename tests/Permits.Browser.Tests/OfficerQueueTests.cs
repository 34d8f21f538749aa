using System.Net;
using System.Security.Claims;
using System.Text.RegularExpressions;
using Permits.Contracts.Review.V1;
using Permits.Portal.Security;
using Permits.Shared.Security;

namespace Permits.Browser.Tests;

/// <summary>Each role's sign-in lands on its own start page; a page the role cannot use says so and shows the way out.</summary>
[Collection(OfficerDeskCollection.Name)]
public sealed class When_officers_sign_in(OfficerDesk desk)
{
    [Theory]
    [InlineData("hy-clerk", "/officer")]
    [InlineData("hy-inspector1", "/officer")]
    [InlineData("hy-reviewer", "/officer")]
    [InlineData("hy-head", "/officer")]
    [InlineData("hy-gongkai", "/officer/disclosure-requests")]
    public async Task Should_land_on_the_roles_own_start_page(string username, string startPage)
    {
        var (browser, landed) = await desk.SignInAsync(username);
        using (browser)
        {
            Assert.Equal(startPage, landed);
        }
    }

    [Fact]
    public async Task Should_send_the_disclosure_clerk_to_the_desk_even_when_the_queue_was_asked_for()
    {
        var (browser, landed) = await desk.SignInAsync("hy-gongkai", returnUrl: "/officer");
        using var _ = browser;

        Assert.Equal("/officer/disclosure-requests", landed);
        using var queue = await browser.GetAsync("/officer");
        var page = await queue.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Forbidden, queue.StatusCode);
        Assert.Contains("您的账号不能使用这个页面", page);
        Assert.Contains("政务公开岗", page);
        Assert.Contains("href=\"/officer/disclosure-requests\"", page);
        Assert.Contains(">前往依申请公开办理台<", page);
        Assert.DoesNotContain("disclosure-clerk", OfficerDesk.Text(page));
        Assert.DoesNotContain("无法确认经办人的岗位", page);
    }

    [Fact]
    public async Task Should_go_back_to_the_page_asked_for_when_the_role_may_use_it()
    {
        var (browser, landed) = await desk.SignInAsync("hy-clerk", returnUrl: "/officer/licences");
        using var _ = browser;

        Assert.Equal("/officer/licences", landed);
    }

    [Fact]
    public async Task Should_link_the_head_to_the_board_and_refuse_the_board_to_others_with_the_way_to_their_queue()
    {
        var (head, _) = await desk.SignInAsync("hy-head");
        var (clerk, _) = await desk.SignInAsync("hy-clerk");
        using var h = head;
        using var c = clerk;

        var headQueue = await head.GetStringAsync("/officer");
        using var refused = await clerk.GetAsync("/officer/board");
        var clerkQueue = await clerk.GetStringAsync("/officer");

        Assert.Contains("href=\"/officer/board\"", headQueue);
        Assert.DoesNotContain("href=\"/officer/board\"", clerkQueue);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var page = await refused.Content.ReadAsStringAsync();
        Assert.Contains("受理岗", page);
        Assert.Contains(">前往待办队列<", page);
    }
}

/// <summary>Unknown addresses and failures answer a page in the site's layout, never an empty response.</summary>
[Collection(OfficerDeskCollection.Name)]
public sealed class When_a_page_does_not_exist(OfficerDesk desk)
{
    [Fact]
    public async Task Should_answer_404_with_the_sites_layout_and_a_way_home()
    {
        using var browser = new HttpClient { BaseAddress = new Uri(desk.PortalUrl) };
        browser.DefaultRequestHeaders.Accept.ParseAdd("text/html");

        using var response = await browser.GetAsync("/no-such-page/at-all");
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("class=\"site-header\"", page);
        Assert.Contains("<title>没有找到您要的页面 - 烟草专卖零售许可证网上办理</title>", page);
        Assert.Contains("href=\"/\"", page);
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task Should_offer_a_signed_in_officer_their_queue_from_the_404_page()
    {
        var (clerk, _) = await desk.SignInAsync("hy-clerk");
        using var _ = clerk;

        using var response = await clerk.GetAsync("/officer/no-such-page");
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains(">前往待办队列<", page);
    }

    [Fact]
    public async Task Should_show_the_request_id_on_the_error_page()
    {
        using var browser = new HttpClient { BaseAddress = new Uri(desk.PortalUrl) };

        using var response = await browser.GetAsync("/status/500");
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("系统出了点问题", page);
        Assert.Matches("请求编号：<code class=\"number\">[0-9a-zA-Z:-]+</code>", page);
        Assert.Contains("class=\"site-header\"", page);
    }
}

/// <summary>The queue shows each role its own steps, searches, filters, claims several at once and hands cases on.</summary>
[Collection(OfficerDeskCollection.Name)]
public sealed class When_officers_work_their_queues(OfficerDesk desk)
{
    [Fact]
    public async Task Should_show_each_role_only_the_cases_at_its_step()
    {
        var waiting = await desk.SubmitAsync("海盐县步骤测试待受理便利店");
        var accepted = await desk.SubmitAsync("海盐县步骤测试已受理便利店");
        await desk.AcceptAsync(accepted);
        var (clerk, _) = await desk.SignInAsync("hy-clerk");
        var (inspector, _) = await desk.SignInAsync("hy-inspector1");
        var (reviewer, _) = await desk.SignInAsync("hy-reviewer");
        var (head, _) = await desk.SignInAsync("hy-head");
        using var c = clerk;
        using var i = inspector;
        using var r = reviewer;
        using var h = head;

        var clerkQueue = await clerk.GetStringAsync("/officer");
        var inspectorQueue = await inspector.GetStringAsync("/officer");
        var reviewerQueue = await reviewer.GetStringAsync("/officer");
        var headQueue = await head.GetStringAsync("/officer");
        var everything = await reviewer.GetStringAsync("/officer?step=all");

        Assert.Contains("待受理", OfficerDesk.Row(clerkQueue, waiting.ApplicationNumber));
        Assert.DoesNotContain(accepted.ApplicationNumber, clerkQueue);
        Assert.Contains("待核查", OfficerDesk.Row(inspectorQueue, accepted.ApplicationNumber));
        Assert.DoesNotContain(waiting.ApplicationNumber, inspectorQueue);
        Assert.DoesNotContain(waiting.ApplicationNumber, reviewerQueue);
        Assert.DoesNotContain(accepted.ApplicationNumber, reviewerQueue);
        Assert.DoesNotContain(waiting.ApplicationNumber, headQueue);
        Assert.DoesNotContain(accepted.ApplicationNumber, headQueue);
        Assert.Contains(waiting.ApplicationNumber, everything);
        Assert.Contains(accepted.ApplicationNumber, everything);
        Assert.Matches("剩 \\d+ 个工作日", OfficerDesk.Row(clerkQueue, waiting.ApplicationNumber));
        Assert.Contains("未领取", OfficerDesk.Row(clerkQueue, waiting.ApplicationNumber));
        Assert.DoesNotContain("UnderReview", OfficerDesk.Text(everything));
        Assert.DoesNotContain("Inspection", OfficerDesk.Text(everything));
    }

    [Fact]
    public async Task Should_find_a_case_by_shop_name_or_number_and_filter_by_type_and_step()
    {
        var wanted = await desk.SubmitAsync("海盐县查找测试青松烟杂店");
        var other = await desk.SubmitAsync("海盐县查找测试翠柏烟杂店");
        var (clerk, _) = await desk.SignInAsync("hy-clerk");
        using var _ = clerk;

        var byName = await clerk.GetStringAsync("/officer?q=" + Uri.EscapeDataString("青松烟杂店"));
        var byNumber = await clerk.GetStringAsync("/officer?q=" + Uri.EscapeDataString(wanted.ApplicationNumber));
        var changesOnly = await clerk.GetStringAsync("/officer?type=Change&q=" + Uri.EscapeDataString("查找测试"));
        var inspectionOnly = await clerk.GetStringAsync("/officer?step=Inspection&q=" + Uri.EscapeDataString("查找测试"));
        var acceptanceOnly = await clerk.GetStringAsync("/officer?step=Acceptance&q=" + Uri.EscapeDataString("查找测试"));

        Assert.Contains(wanted.ApplicationNumber, byName);
        Assert.DoesNotContain(other.ApplicationNumber, byName);
        Assert.Contains(wanted.ApplicationNumber, byNumber);
        Assert.DoesNotContain(other.ApplicationNumber, byNumber);
        Assert.Contains("value=\"青松烟杂店\"", byName);
        Assert.DoesNotContain(wanted.ApplicationNumber, changesOnly);
        Assert.Contains("当前没有符合条件的待办案件", OfficerDesk.Text(changesOnly));
        Assert.DoesNotContain(wanted.ApplicationNumber, inspectionOnly);
        Assert.Contains(wanted.ApplicationNumber, acceptanceOnly);
        Assert.Contains(other.ApplicationNumber, acceptanceOnly);
    }

    [Fact]
    public async Task Should_claim_several_at_once_and_name_each_refused_case_with_its_reason()
    {
        var first = await desk.SubmitAsync("海盐县批量测试一号便利店");
        var second = await desk.SubmitAsync("海盐县批量测试二号便利店");
        var taken = await desk.SubmitAsync("海盐县批量测试三号便利店");
        // The head holds the third one: the clerk's batch takes the other two and says why not this one.
        await desk.Review.ClaimAsync(new CaseActionRequest { CaseId = taken.CaseId }, await desk.AsAsync("hy-head"));
        var (clerk, _) = await desk.SignInAsync("hy-clerk");
        using var _ = clerk;
        var queue = await clerk.GetStringAsync("/officer?q=" + Uri.EscapeDataString("批量测试"));
        Assert.Contains("批量领取", queue);

        var after = await OfficerDesk.PostAsync(clerk, "/officer?handler=ClaimMany",
        [
            new("caseIds", first.CaseId), new("caseIds", second.CaseId), new("caseIds", taken.CaseId),
            new($"numbers[{taken.CaseId}]", taken.ApplicationNumber), new("q", "批量测试"),
        ], queue);

        var text = OfficerDesk.Text(after);
        Assert.Contains("已领取 2 件", text);
        Assert.Contains(first.ApplicationNumber, text);
        Assert.Contains(second.ApplicationNumber, text);
        Assert.Matches($"有 1 件未能领取——{Regex.Escape(taken.ApplicationNumber)}：\\p{{IsCJKUnifiedIdeographs}}", text);
        Assert.DoesNotMatch("[A-Za-z]*[a-z]{2,}", Regex.Match(text, "有 1 件未能领取[^。]*").Value);
        Assert.Contains("本人", OfficerDesk.Row(after, first.ApplicationNumber));
        Assert.Contains("本人", OfficerDesk.Row(after, second.ApplicationNumber));
    }

    [Fact]
    public async Task Should_hand_a_claimed_case_to_a_colleague_of_its_step_and_back_to_the_queue()
    {
        var item = await desk.SubmitAsync("海盐县转交测试便利店");
        await desk.AcceptAsync(item);
        await desk.Review.ClaimAsync(new CaseActionRequest { CaseId = item.CaseId }, await desk.AsAsync("hy-inspector1"));
        var colleague = await desk.OfficerIdAsync("hy-inspector2");
        var (inspector, _) = await desk.SignInAsync("hy-inspector1");
        var (second, _) = await desk.SignInAsync("hy-inspector2");
        using var i1 = inspector;
        using var i2 = second;

        var queue = await inspector.GetStringAsync("/officer?q=" + Uri.EscapeDataString("转交测试"));
        Assert.Contains("本人", OfficerDesk.Row(queue, item.ApplicationNumber));
        Assert.Contains($"<option value=\"{colleague}\">", queue);
        // Only colleagues of the case's step: no clerk or head is offered an inspection.
        Assert.DoesNotContain("海盐县受理员", Regex.Match(queue, "<select id=\"to-.*?</select>", RegexOptions.Singleline).Value);

        var handed = await OfficerDesk.PostAsync(inspector, "/officer?handler=Assign&q=" + Uri.EscapeDataString("转交测试"),
            [new("caseId", item.CaseId), new("officerId", colleague)], queue);
        Assert.Contains($"已将 {item.ApplicationNumber}", OfficerDesk.Text(handed));
        Assert.Contains("海盐县核查员二", OfficerDesk.Row(handed, item.ApplicationNumber));

        var theirs = await second.GetStringAsync("/officer?q=" + Uri.EscapeDataString("转交测试"));
        Assert.Contains("本人", OfficerDesk.Row(theirs, item.ApplicationNumber));
        var released = await OfficerDesk.PostAsync(second, "/officer?handler=Release&q=" + Uri.EscapeDataString("转交测试"),
            [new("caseId", item.CaseId)], theirs);
        Assert.Contains($"已交回 {item.ApplicationNumber}", OfficerDesk.Text(released));
        Assert.Contains("未领取", OfficerDesk.Row(released, item.ApplicationNumber));
    }

    [Fact]
    public async Task Should_show_the_head_the_countys_open_cases_on_the_board_with_a_chart_that_reads_without_colour()
    {
        var item = await desk.SubmitAsync("海盐县看板测试便利店");
        var (head, _) = await desk.SignInAsync("hy-head");
        using var _ = head;

        var page = await head.GetStringAsync("/officer/board");
        var text = OfficerDesk.Text(page);

        Assert.Contains(item.ApplicationNumber, page);
        var open = int.Parse(Regex.Match(text, @"在办案件 (\d+) 件").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(open >= 1, text);
        Assert.Contains("<svg role=\"img\"", page);
        Assert.Matches(@"<title id=""chart-title"">[^<]*剩[^<]*\d+ 件[^<]*本月超期 \d+ 件；待回访差评 \d+ 件</title>", page);
        Assert.Contains("class=\"chart-label\">本月超期</text>", page);
        Assert.Contains("等待申请人补正", text);
        Assert.Contains("待回访的差评", text);
        Assert.DoesNotContain("<script", page);
    }
}

/// <summary>Where PortalStart sends each role (the delivery and licence pages have no role of their own yet).</summary>
public sealed class When_the_start_page_is_decided
{
    [Theory]
    [InlineData(PermitsRoles.Clerk, "/officer")]
    [InlineData(PermitsRoles.Inspector, "/officer")]
    [InlineData(PermitsRoles.Reviewer, "/officer")]
    [InlineData(PermitsRoles.Head, "/officer")]
    [InlineData(PermitsRoles.DisclosureClerk, "/officer/disclosure-requests")]
    [InlineData(PermitsRoles.SystemAdmin, "/admin/register")]
    [InlineData(PermitsRoles.Applicant, "/my")]
    [InlineData(PermitsRoles.Platform, "/")]
    public void Should_start_each_role_at_its_own_page(string role, string page) => Assert.Equal(page, PortalStart.PageFor(Person(role)));

    [Fact]
    public void Should_keep_a_role_out_of_pages_it_cannot_use()
    {
        Assert.False(PortalStart.MayUse(Person(PermitsRoles.DisclosureClerk), "/officer"));
        Assert.True(PortalStart.MayUse(Person(PermitsRoles.DisclosureClerk), "/officer/disclosure-requests/2026-1"));
        Assert.False(PortalStart.MayUse(Person(PermitsRoles.Clerk), "/officer/annual-reports"));
        Assert.True(PortalStart.MayUse(Person(PermitsRoles.Clerk), "/officer/case/1?x=1"));
        Assert.False(PortalStart.MayUse(Person(PermitsRoles.Applicant), "/officer/case/1"));
        Assert.False(PortalStart.MayUse(Person(PermitsRoles.Head), "/my/1"));
        Assert.True(PortalStart.MayUse(Person(PermitsRoles.Applicant), "/my/1"));
        Assert.True(PortalStart.MayUse(Person(PermitsRoles.Head), "/track"));
        Assert.True(PortalStart.MayUse(Person(PermitsRoles.SystemAdmin), "/admin/register"));
        Assert.False(PortalStart.MayUse(Person(PermitsRoles.Head), "/admin/register"));
        Assert.False(PortalStart.MayUse(Person(PermitsRoles.SystemAdmin), "/officer"));
    }

    [Theory]
    [InlineData(null, "/start")]
    [InlineData("", "/start")]
    [InlineData("/", "/")]
    [InlineData("//evil.example/x", "/")]
    [InlineData("/officer/case/1", "/start?returnUrl=%2Fofficer%2Fcase%2F1")]
    public void Should_pass_the_sign_in_through_the_start_page(string? returnUrl, string redirect) =>
        Assert.Equal(redirect, PortalStart.AfterSignIn(returnUrl));

    private static ClaimsPrincipal Person(string role) => new(new ClaimsIdentity(
        [new Claim(PermitsClaims.Role, role), new Claim(PermitsClaims.County, "330424")], "test"));
}
