using Permits.Contracts.Certificate;
using Permits.Contracts.Delivery;
using Permits.Contracts.Documents;
using Permits.Contracts.Review;
using Permits.Notifications.Domain;
using Permits.Shared.Domain;
using Permits.Testing;

namespace Permits.Notifications.Tests;

/// <summary>Each event the applicant is told about arrives at the gateway as its one text, in Chinese, to their number.</summary>
public sealed class When_an_application_moves_through_its_steps
{
    private static readonly DateTimeOffset At = ChinaTime.StartOf(new DateOnly(2026, 3, 2)).AddHours(10);

    /// <summary>Name of the case, the event for an application, and the text expected after the 【authority】 and before nothing.</summary>
    public static TheoryData<string> Cases => new(Events.Keys);

    private static readonly Dictionary<string, (Func<Guid, object> Event, Func<string, string> Text)> Events = new()
    {
        ["CorrectionRequested"] = (
            id => new CorrectionRequested(id, Guid.NewGuid(), NotificationsHost.County, "盐烟专补〔2026〕1号",
                [new CorrectionItem("场所使用证明", "租赁合同已过期"), new CorrectionItem("营业执照", "不清晰")], "o-hy-clerk", At),
            number => $"【海盐县烟草专卖局】您的烟草专卖零售许可申请（{number}）需要补正材料：场所使用证明、营业执照。请登录网上办事大厅查看补正材料告知书（盐烟专补〔2026〕1号），补正后重新提交。"),
        ["ApplicationAccepted"] = (
            id => new ApplicationAccepted(id, Guid.NewGuid(), NotificationsHost.County, "盐烟专受〔2026〕2号", "o-hy-clerk", At,
                new DateOnly(2026, 3, 30), false),
            number => $"【海盐县烟草专卖局】您的烟草专卖零售许可申请（{number}）已受理（盐烟专受〔2026〕2号），我局将于2026-03-30前作出决定。"),
        ["ApplicationNotAccepted"] = (
            id => new ApplicationNotAccepted(id, Guid.NewGuid(), NotificationsHost.County, "盐烟专不受〔2026〕3号", ["不属于本局职权范围"],
                "可依法申请行政复议", "o-hy-clerk", At),
            number => $"【海盐县烟草专卖局】您的烟草专卖零售许可申请（{number}）不予受理（盐烟专不受〔2026〕3号）。请登录网上办事大厅查看不予受理决定书及救济途径。"),
        ["DecisionPeriodExtended"] = (
            id => new DecisionPeriodExtended(id, Guid.NewGuid(), NotificationsHost.County, "盐烟专延〔2026〕4号", "需要实地核查",
                "o-hy-head", At, new DateOnly(2026, 4, 14), false),
            number => $"【海盐县烟草专卖局】您的烟草专卖零售许可申请（{number}）审批期限已依法延长，将于2026-04-14前作出决定（盐烟专延〔2026〕4号）。"),
        ["RatingFollowedUp"] = (
            id => new RatingFollowedUp(id, NotificationsHost.NumberOf(id), NotificationsHost.County, "窗口增设引导员，材料一次告知", "o-hy-head", At),
            number => $"【海盐县烟草专卖局】感谢您对烟草专卖零售许可办理（申请编号{number}）的评价。我局已回访核实并整改：窗口增设引导员，材料一次告知。"),
        ["LicenceApproved"] = (
            id => new LicenceApproved(id, Guid.NewGuid(), NotificationsHost.NumberOf(id), NotificationsHost.County, "Individual", "海盐测试便利店",
                null, "王小明", "海盐县武原街道测试路 1 号", null, "盐烟专许〔2026〕5号", "o-hy-head", At, new DateOnly(2026, 3, 16)),
            number => $"【海盐县烟草专卖局】您的烟草专卖零售许可申请（{number}）已准予行政许可（盐烟专许〔2026〕5号），许可证制证后将按您选择的方式送达。"),
        ["LicenceDenied"] = (
            id => new LicenceDenied(id, Guid.NewGuid(), NotificationsHost.County, "盐烟专不许〔2026〕6号", ["间距不符合规定"],
                "可依法申请行政复议或者提起行政诉讼", "o-hy-head", At, new DateOnly(2026, 3, 16)),
            number => $"【海盐县烟草专卖局】您的烟草专卖零售许可申请（{number}）不予行政许可（盐烟专不许〔2026〕6号）。请登录网上办事大厅查看决定书及申请复议或提起诉讼的权利。"),
        ["CertificateIssued"] = (
            id => new CertificateIssued(Guid.NewGuid(), id, NotificationsHost.NumberOf(id), NotificationsHost.County, "330424100001", "王小明",
                new DateOnly(2026, 3, 2), new DateOnly(2031, 3, 1), At),
            number => $"【海盐县烟草专卖局】您的烟草专卖零售许可证已制发，许可证号330424100001，有效期至2031-03-01。申请编号{number}。"),
        ["ShipmentDispatched"] = (
            id => new ShipmentDispatched(Guid.NewGuid(), id, "中国邮政EMS", "EMS0001", At),
            number => $"【海盐县烟草专卖局】您的烟草专卖零售许可证（申请编号{number}）已交寄中国邮政EMS，运单号EMS0001，请注意查收。"),
        ["ShipmentAwaitingPickup"] = (
            id => new ShipmentAwaitingPickup(Guid.NewGuid(), id, NotificationsHost.County, "海盐县政务服务中心一楼烟草窗口", false, At),
            number => $"【海盐县烟草专卖局】您的烟草专卖零售许可证（申请编号{number}）已备妥，请于2026-03-16前凭取件码到海盐县政务服务中心一楼烟草窗口领取。取件码请登录网上办事大厅查看。"),
        ["ShipmentDelivered"] = (
            id => new ShipmentDelivered(Guid.NewGuid(), id, "EMS0001", "王小明", At),
            number => $"【海盐县烟草专卖局】您的烟草专卖零售许可证（申请编号{number}）已送达，签收人王**。"),
        ["DocumentServed"] = (
            id => new DocumentServed(id, Guid.NewGuid(), NotificationsHost.County, OfficialDocuments.Acceptance, "盐烟专受〔2026〕2号",
                ServiceMethod.Electronic, At, null),
            number => $"【海盐县烟草专卖局】《受理通知书》（盐烟专受〔2026〕2号）已于2026-03-02以电子送达方式向您送达（申请编号{number}）。"),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Should_send_its_text_to_the_applicant(string name)
    {
        await using var host = await NotificationsHost.StartAsync();
        var phone = "1390000" + Random.Shared.Next(1000, 9999);
        var applicationId = await host.SubmitAsync(phone);
        var (message, text) = Events[name];

        await host.PublishAndWaitAsync(message(applicationId));

        var sent = await host.WaitForSentAsync(1, phone);
        Assert.Equal([text(NotificationsHost.NumberOf(applicationId))], sent);
        await host.WaitUntilAsync(async () => await host.StatusAsync(applicationId, name) == MessageStatus.Sent, "the message recorded as sent");
    }

    [Fact]
    public void Should_have_a_template_for_every_event_consumed()
    {
        var templates = MessageTemplates.LoadEmbedded();
        Assert.All(Events.Keys, name => Assert.NotNull(templates.Get(name)));
    }
}

/// <summary>好差评回访: the rater is told once, however often the follow-up arrives.</summary>
public sealed class When_a_poor_rating_is_followed_up
{
    [Fact]
    public async Task Should_tell_the_rater_once()
    {
        await using var host = await NotificationsHost.StartAsync();
        var phone = "1390001" + Random.Shared.Next(1000, 9999);
        var applicationId = await host.SubmitAsync(phone);
        var closed = new RatingFollowedUp(applicationId, NotificationsHost.NumberOf(applicationId), NotificationsHost.County, "已整改",
            "o-hy-head", ChinaTime.StartOf(new DateOnly(2026, 3, 2)).AddHours(10));

        await host.PublishAndWaitAsync(closed);
        await host.PublishAndWaitAsync(closed);

        var sent = await host.WaitForSentAsync(1, phone);
        Assert.Single(sent, text => text.Contains("我局已回访核实并整改：已整改"));
        Assert.Equal(1, await host.CountAsync(applicationId));
    }
}
