using Permits.Portal.Web;

namespace Permits.Portal.Pages.Requests;

/// <summary>The words of 依申请公开 on the pages (values are the service's enum names).</summary>
public static class RequestLabels
{
    public static readonly IReadOnlyList<Option> Categories =
    [
        new("NaturalPerson", "自然人（公民个人）"),
        new("CommercialEnterprise", "法人或其他组织：商业企业"),
        new("ResearchInstitution", "法人或其他组织：科研机构"),
        new("SocialWelfareOrganisation", "法人或其他组织：社会公益组织"),
        new("LegalServiceInstitution", "法人或其他组织：法律服务机构"),
        new("Other", "法人或其他组织：其他"),
    ];

    public static readonly IReadOnlyList<Option> Forms =
    [
        new("Electronic", "电子数据"),
        new("Paper", "纸质"),
    ];

    public static readonly IReadOnlyList<Option> DeliveryMethods =
    [
        new("Online", "网上获取", "办结后在本网站“查询申请”中查看答复"),
        new("Email", "电子邮件", "须填写电子邮箱"),
        new("Post", "邮寄", "须填写通信地址"),
        new("Pickup", "当面领取", "到县烟草专卖局政务服务窗口领取"),
    ];

    public static string Of(IReadOnlyList<Option> options, string value) =>
        options.FirstOrDefault(o => o.Value == value)?.Label ?? value;
}
