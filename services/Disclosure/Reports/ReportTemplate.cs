using Permits.Contracts.Disclosure.V1;
using Permits.Disclosure.Requests;

namespace Permits.Disclosure.Reports;

/// <summary>
/// The fixed national template (国办公开办函〔2021〕30号): the rows and columns of sections 三 and 四 with their Chinese
/// labels, in the order the template prints them. Everything that lays out or checks a report reads them from here.
/// </summary>
public static class ReportTemplate
{
    public const string TemplateReference = "国办公开办函〔2021〕30号";

    /// <summary>The columns of section 三 (the last is 总计).</summary>
    public static readonly IReadOnlyList<Column> Columns =
    [
        new("自然人", ApplicantCategory.NaturalPerson, r => r.NaturalPerson),
        new("商业企业", ApplicantCategory.CommercialEnterprise, r => r.CommercialEnterprise),
        new("科研机构", ApplicantCategory.ResearchInstitution, r => r.ResearchInstitution),
        new("社会公益组织", ApplicantCategory.SocialWelfareOrganisation, r => r.SocialWelfareOrganisation),
        new("法律服务机构", ApplicantCategory.LegalServiceInstitution, r => r.LegalServiceInstitution),
        new("其他", ApplicantCategory.Other, r => r.OtherOrganisation),
        new("总计", null, r => r.Total),
    ];

    /// <summary>The outcome rows of 三、本年度办理结果, grouped as the template groups them.</summary>
    public static readonly IReadOnlyList<OutcomeLine> Outcomes =
    [
        new(RequestOutcome.Disclosed, "（一）予以公开", ""),
        new(RequestOutcome.PartlyDisclosed, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ""),
        new(RequestOutcome.WithheldStateSecret, "（三）不予公开", "1.属于国家秘密"),
        new(RequestOutcome.WithheldProhibitedByLaw, "（三）不予公开", "2.其他法律行政法规禁止公开"),
        new(RequestOutcome.WithheldEndangersSafety, "（三）不予公开", "3.危及“三安全一稳定”"),
        new(RequestOutcome.WithheldThirdPartyRights, "（三）不予公开", "4.保护第三方合法权益"),
        new(RequestOutcome.WithheldInternalAffairs, "（三）不予公开", "5.属于三类内部事务信息"),
        new(RequestOutcome.WithheldProcessInformation, "（三）不予公开", "6.属于四类过程性信息"),
        new(RequestOutcome.WithheldEnforcementFile, "（三）不予公开", "7.属于行政执法案卷"),
        new(RequestOutcome.WithheldAdministrativeQuery, "（三）不予公开", "8.属于行政查询事项"),
        new(RequestOutcome.UnavailableNotHeld, "（四）无法提供", "1.本机关不掌握相关政府信息"),
        new(RequestOutcome.UnavailableNeedsCreation, "（四）无法提供", "2.没有现成信息需要另行制作"),
        new(RequestOutcome.UnavailableStillUnclear, "（四）无法提供", "3.补正后申请内容仍不明确"),
        new(RequestOutcome.NotProcessedPetition, "（五）不予处理", "1.信访举报投诉类申请"),
        new(RequestOutcome.NotProcessedRepeated, "（五）不予处理", "2.重复申请"),
        new(RequestOutcome.NotProcessedPublication, "（五）不予处理", "3.要求提供公开出版物"),
        new(RequestOutcome.NotProcessedExcessive, "（五）不予处理", "4.无正当理由大量反复申请"),
        new(RequestOutcome.NotProcessedConfirmation, "（五）不予处理", "5.要求行政机关确认或重新出具已获取信息"),
        new(RequestOutcome.OtherOverdueCorrection, "（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
        new(RequestOutcome.OtherOverdueFee, "（六）其他处理", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
        new(RequestOutcome.OtherOther, "（六）其他处理", "3.其他"),
    ];

    public const string NewlyReceivedLabel = "一、本年新收政府信息公开申请数量";
    public const string CarriedOverLabel = "二、上年结转政府信息公开申请数量";
    public const string OutcomeTotalLabel = "三、本年度办理结果（七）总计";
    public const string CarriedForwardLabel = "四、结转下年度继续办理";

    /// <summary>The groups of section 四 (each 结果维持, 结果纠正, 其他结果, 尚未审结, 总计).</summary>
    public static readonly IReadOnlyList<(string Label, Func<AppealTable, AppealGroup?> Group)> AppealGroups =
    [
        ("行政复议", t => t.Reconsideration),
        ("行政诉讼（未经复议直接起诉）", t => t.LitigationDirect),
        ("行政诉讼（复议后起诉）", t => t.LitigationAfterReconsideration),
    ];

    public static readonly IReadOnlyList<(string Label, Func<AppealGroup, int> Cell)> AppealCells =
    [
        ("结果维持", g => g.Upheld),
        ("结果纠正", g => g.Corrected),
        ("其他结果", g => g.Other),
        ("尚未审结", g => g.Pending),
        ("总计", g => g.Total),
    ];

    public static string Title(string authority, int year) => $"{authority}{year}年度政府信息公开工作年度报告";

    public static string OutcomeLabel(OutcomeLine line) => line.Item.Length == 0 ? line.Group : $"{line.Group} {line.Item}";

    /// <summary>Section 三's rows with their labels, in print order (outcomes by their key).</summary>
    public static IEnumerable<(string Label, CategoryRow Row)> Rows(RequestTable table)
    {
        yield return (NewlyReceivedLabel, table.NewlyReceived ?? new CategoryRow());
        yield return (CarriedOverLabel, table.CarriedOver ?? new CategoryRow());
        foreach (var outcome in table.Outcomes)
        {
            yield return ("三、本年度办理结果" + outcome.Label, outcome.Counts ?? new CategoryRow());
        }

        yield return (OutcomeTotalLabel, table.OutcomeTotal ?? new CategoryRow());
        yield return (CarriedForwardLabel, table.CarriedForward ?? new CategoryRow());
    }

    public sealed record Column(string Label, ApplicantCategory? Category, Func<CategoryRow, int> Cell);

    public sealed record OutcomeLine(RequestOutcome Outcome, string Group, string Item);
}
