namespace Permits.Contracts.Disclosure;

/// <summary>
/// The 双公示 行政许可 fields by their national codes (as the credit platforms exchange them), with the Chinese names
/// people read. Records carry them in <see cref="DisclosureRecorded.PublicFields"/>; services fill them through the
/// typed builder <c>Permits.Shared.Domain.LicensingDisclosure</c>, never by hand.
/// </summary>
public static class LicensingFields
{
    /// <summary>行政相对人名称</summary>
    public const string SubjectName = "XK_XDR_MC";

    /// <summary>统一社会信用代码</summary>
    public const string SubjectCreditCode = "XK_XDR_SHXYM";

    /// <summary>法定代表人（负责人）: a person, published masked.</summary>
    public const string Representative = "XK_FRDB";

    /// <summary>行政许可决定文书名称</summary>
    public const string DocumentTitle = "XK_XKWS";

    /// <summary>行政许可决定文书号</summary>
    public const string DocumentNumber = "XK_WSH";

    /// <summary>许可类别</summary>
    public const string Category = "XK_XKLB";

    /// <summary>许可证书名称</summary>
    public const string LicenceTitle = "XK_XKZS";

    /// <summary>许可编号</summary>
    public const string LicenceNumber = "XK_XKBH";

    /// <summary>许可内容</summary>
    public const string Content = "XK_NR";

    /// <summary>许可决定日期</summary>
    public const string DecisionDate = "XK_JDRQ";

    /// <summary>有效期自</summary>
    public const string ValidFrom = "XK_YXQZ";

    /// <summary>有效期至</summary>
    public const string ValidTo = "XK_YXQZI";

    /// <summary>许可机关</summary>
    public const string Authority = "XK_XKJG";

    /// <summary>许可机关统一社会信用代码</summary>
    public const string AuthorityCreditCode = "XK_XKJGDM";

    /// <summary>当前状态</summary>
    public const string Status = "XK_ZT";

    /// <summary>申请编号: the application a progress record is about (办件进度).</summary>
    public const string ApplicationNumber = "申请编号";

    /// <summary>事项名称: the matter of the request (烟草专卖零售许可证核发, …变更, …).</summary>
    public const string Matter = "事项名称";

    /// <summary>申请类型: 新办, 变更, ….</summary>
    public const string RequestType = "申请类型";

    /// <summary>领取地点: the bureau's service hall where a licence waits.</summary>
    public const string PickupPlace = "领取地点";

    /// <summary>Every code, in the order registers show them, with its Chinese name.</summary>
    public static readonly IReadOnlyList<KeyValuePair<string, string>> Labels =
    [
        new(SubjectName, "行政相对人名称"),
        new(SubjectCreditCode, "统一社会信用代码"),
        new(Representative, "法定代表人（负责人）"),
        new(DocumentTitle, "决定文书名称"),
        new(DocumentNumber, "决定文书号"),
        new(Category, "许可类别"),
        new(LicenceTitle, "许可证书名称"),
        new(LicenceNumber, "许可编号"),
        new(Content, "许可内容"),
        new(DecisionDate, "许可决定日期"),
        new(ValidFrom, "有效期自"),
        new(ValidTo, "有效期至"),
        new(Authority, "许可机关"),
        new(AuthorityCreditCode, "许可机关统一社会信用代码"),
        new(Status, "当前状态"),
    ];

    private static readonly Dictionary<string, string> ByCode = Labels.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    /// <summary>The Chinese name of a field code; any other field name is shown as it is.</summary>
    public static string Label(string code) => ByCode.GetValueOrDefault(code, code);

    /// <summary>Whether <paramref name="field"/> is one of the national 行政许可 codes.</summary>
    public static bool IsLicensingField(string field) => ByCode.ContainsKey(field);
}
