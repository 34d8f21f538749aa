using System.Net;
using Permits.Testing;

namespace Permits.Intake.Tests;

/// <summary>
/// 办事指南 and the home page, server-rendered by the Portal against the real Intake: the materials they name are
/// Intake's form specification, the one Submit checks, so they agree with the form in every county.
/// </summary>
public sealed class When_a_shopkeeper_reads_the_guide : IntakePages
{
    [Fact]
    public async Task Should_list_the_county_form_materials_the_hall_the_limits_and_no_fee()
    {
        using var browser = Portal.Anonymous();

        // 海盐县 asks a 变更 for the premises proof as well (requirements.json); 嘉善县 does not.
        var haiyan = PortalForms.Text(await browser.GetStringAsync("/guide/Change?county=330424"));
        var jiashan = PortalForms.Text(await browser.GetStringAsync("/guide/Change?county=330421"));

        Assert.Contains("场所产权证明或租赁合同", haiyan);
        Assert.DoesNotContain("场所产权证明或租赁合同", jiashan);
        Assert.Contains("营业执照", jiashan);
        Assert.Contains("浙江省嘉兴市海盐县武原街道政务服务中心一楼烟草窗口", haiyan);
        Assert.Contains("0573-86012345", haiyan);
        Assert.Contains("办公时间", haiyan);
        Assert.Contains("法定时限 自受理之日起 20 个工作日", haiyan);
        // Review and Delivery are not running: the county directory's hall and 承诺时限 stand in.
        Assert.Contains("承诺时限 自受理之日起 15 个工作日", haiyan);
        Assert.Contains("不收费", haiyan);
        Assert.Contains("《烟草专卖许可证管理办法》", haiyan);
        Assert.Contains("常见问题", haiyan);
        Assert.Contains("href=\"/apply?county=330424&amp;type=Change\"", await browser.GetStringAsync("/guide/Change?county=330424"));
    }

    [Fact]
    public async Task Should_state_the_windows_intake_checks_and_each_county_s_own_promised_limit()
    {
        using var browser = Portal.Anonymous();

        var suspend = PortalForms.Text(await browser.GetStringAsync("/guide/Suspend"));
        var kunshan = PortalForms.Text(await browser.GetStringAsync("/guide/New?county=320583"));

        Assert.Matches(@"停业起始日须在申请之日 \d+ 日之后，停业期限最长 \d+ 日", suspend);
        Assert.Contains("承诺时限 按法定时限办理", kunshan);
        Assert.Contains("承诺时限 以所在县（市、区）的承诺为准", suspend);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/guide/Nonsense")).StatusCode);
    }

    [Fact]
    public async Task Should_say_on_the_home_page_what_the_form_requires_and_that_licences_need_sign_in()
    {
        using var browser = Portal.Anonymous();

        var home = PortalForms.Text(await browser.GetStringAsync("/"));

        // The common form of a new licence requires the business licence: the home page must not call it optional.
        Assert.Contains("新办请准备：负责人身份证（正反面）；营业执照；", home);
        Assert.DoesNotContain("有营业执照的", home);
        Assert.DoesNotContain("凭申请编号和许可证号下载", home);
        Assert.Contains("登录", home);
        Assert.Contains("办事指南", home);
    }
}
