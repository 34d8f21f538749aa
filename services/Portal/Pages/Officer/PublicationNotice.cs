using Permits.Shared.Domain;

namespace Permits.Portal.Pages.Officer;

/// <summary>
/// The warning beside every officer field whose text is published (不予受理 and 不予许可 reasons go to the disclosure
/// log and the 双公示 register), and, after posting, what the one policy (<see cref="PersonalData"/>) masked.
/// </summary>
/// <param name="For">The textarea's id: the notice describes it (aria-describedby).</param>
public sealed record PublicationNotice(string For)
{
    public string Id => For + "-publication";

    /// <summary>What is masked, in the officer's words.</summary>
    public const string Masked = "身份证号、护照号、手机和固定电话、电子邮箱、银行卡号、门牌地址（如“12号3幢501室”）和可识别的个人姓名（含本案负责人姓名）";

    /// <summary>Said after the text was posted: what the published version hides, or that nothing needed hiding.</summary>
    public static string AfterPosting(IEnumerable<string> lines)
    {
        var findings = PersonalData.Findings(string.Join("\n", lines));
        return findings.Count == 0
            ? "公开的理由中未发现需要隐去的个人信息（本案负责人姓名如出现，公开时仍会隐去）。"
            : "公开时已隐去：" + string.Join("；", findings.Select(f => $"{f.Kind}“{f.Found}”→“{f.Published}”")) + "。";
    }
}
