using Permits.Contracts.Review.V1;
using Permits.Portal.Web;
using Permits.Shared.Security;
using RequestTypes = Permits.Contracts.Licensing.RequestTypes;

namespace Permits.Portal.Pages.Officer.CasePage;

/// <summary>
/// A decision that cannot be taken back (准予行政许可, 不予行政许可, 不予受理): what the confirmation page says will
/// happen and which document will be issued, and the one text the officer gives with it.
/// </summary>
/// <param name="Handler">The page handler that acts (Approve, Deny, NotAccept).</param>
/// <param name="Field">The proto field of the text (its errors name it), and the element id.</param>
/// <param name="Name">The form name the handler binds.</param>
/// <param name="Role">The role that takes the act: anyone else is refused by Review at once, with no summary to confirm.</param>
public sealed record IrreversibleAct(string Handler, string Title, string Field, string Name, string TextLabel, string Role)
{
    public static readonly IrreversibleAct Approve = new(
        "Approve", "准予行政许可", "override_reasons", "overrideReasons", "不采纳核查结论、准予许可的理由（每行一条，记入决定和审计记录）", PermitsRoles.Head);

    public static readonly IrreversibleAct Deny = new(
        "Deny", "不予行政许可", "reasons", "reasons", "补充说明（可选，每行一条；决定书将附复议、诉讼权利告知）", PermitsRoles.Head);

    public static readonly IrreversibleAct NotAccept = new(
        "NotAccept", "不予受理", "reasons", "reasons", "补充说明（可选，每行一条）", PermitsRoles.Clerk);

    /// <summary>The written decision the act issues, with its kind (the matter of the request).</summary>
    public string Document(Case c) => Handler switch
    {
        "Approve" => $"准予行政许可决定书（{RequestTypes.Matter(c.RequestType)}）",
        "Deny" => $"不予行政许可决定书（{RequestTypes.Matter(c.RequestType)}），附申请行政复议、提起行政诉讼的权利告知",
        _ => $"不予受理决定书（{RequestTypes.Matter(c.RequestType)}）",
    };

    /// <summary>What follows from the act, in the order it happens.</summary>
    public IReadOnlyList<string> Consequences(Case c) => Handler switch
    {
        "Approve" =>
        [
            $"对 {c.ApplicationNumber}（{c.BusinessName}）的{Labels.RequestType(c.RequestType)}申请作出准予行政许可决定，办件进入送达环节。",
            RequestTypes.Get(c.RequestType).OnLicence
                ? $"电子证照系统据此办理许可证 {c.LicenceNumber} 的{Labels.RequestType(c.RequestType)}。"
                : "电子证照系统据此核发烟草专卖零售许可证。",
            "决定书和许可证须自决定之日起 10 个工作日内送达申请人；决定信息按规定向社会公示（双公示）。",
        ],
        "Deny" =>
        [
            $"对 {c.ApplicationNumber}（{c.BusinessName}）的申请作出不予行政许可决定，办件办结。",
            "理由写入决定书送达申请人，并向社会公开（个人信息自动隐去）。",
        ],
        _ =>
        [
            $"对 {c.ApplicationNumber}（{c.BusinessName}）的申请作出不予受理决定，办件办结，不再审查。",
            "理由写入决定书告知申请人，并向社会公开（个人信息自动隐去）。",
        ],
    };

    /// <summary>Whether the text is published (the reasons of a refusal are; an approval's override reasons stay in the record).</summary>
    public bool Published => Handler != "Approve";
}

/// <summary>A textarea with its label, optional hint and the error next to it (as the field partials draw inputs).</summary>
public sealed record TextAreaView(string Field, string Name, string Label, string? Value, string? Error, string? Hint = null, int Rows = 3)
    : FieldView(Field, Name, Label, Value, Error, Hint);

/// <summary>
/// The legal grounds of a refusal as checkboxes (Review's ListRefusalGrounds for the officer's county), the ones ticked
/// kept through the confirmation step; the error of <c>ground_codes</c> next to them.
/// </summary>
public sealed record GroundsView(IReadOnlyList<RefusalGroundOption> Options, IReadOnlyCollection<string> Selected, string? Error)
    : FieldView("ground_codes", "grounds", "法定理由（至少选一项；决定书逐项引用理由及其依据）", null, Error, null)
{
    public string OptionId(int index) => index == 0 ? Id : $"{Id}-{index + 1}";
}
