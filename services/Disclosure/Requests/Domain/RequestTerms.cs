using Permits.Shared.Domain;
namespace Permits.Disclosure.Requests;

/// <summary>Where a request stands. Every state but <see cref="Answered"/> is open and carries over at year end.</summary>
public enum RequestState
{
    /// <summary>办理中: the 20 working days run.</summary>
    Received,

    /// <summary>待补正: a 补正 notice went out; the clock stops until the corrected request arrives.</summary>
    AwaitingCorrection,

    /// <summary>征求第三方意见: the clock pauses (条例 Art. 33: the consultation does not count).</summary>
    Consulting,

    /// <summary>已办结: answered with one outcome (逾期不补正 included).</summary>
    Answered,
}

public enum InformationForm { Paper, Electronic }

public enum DeliveryMethod { Post, Email, Pickup, Online }

/// <summary>Section 四's columns: 行政复议, and 行政诉讼 either directly or after reconsideration.</summary>
public enum AppealKind { Reconsideration, LitigationDirect, LitigationAfterReconsideration }

public enum AppealResult { Upheld, Corrected, Other, Pending }

/// <summary>The Chinese words of the annual report template and the pages.</summary>
public static class RequestTerms
{
    public static readonly IReadOnlyList<RequestState> OpenStates = [RequestState.Received, RequestState.AwaitingCorrection, RequestState.Consulting];

    public static string Label(RequestState state) => state switch
    {
        RequestState.Received => "办理中",
        RequestState.AwaitingCorrection => "待补正",
        RequestState.Consulting => "征求第三方意见中",
        RequestState.Answered => "已办结",
        _ => state.ToString(),
    };

    public static string Label(ApplicantCategory category) => category switch
    {
        ApplicantCategory.NaturalPerson => "自然人",
        ApplicantCategory.CommercialEnterprise => "商业企业",
        ApplicantCategory.ResearchInstitution => "科研机构",
        ApplicantCategory.SocialWelfareOrganisation => "社会公益组织",
        ApplicantCategory.LegalServiceInstitution => "法律服务机构",
        ApplicantCategory.Other => "其他",
        _ => category.ToString(),
    };

    /// <summary>The row's words in the template (三、本年度办理结果), with its group.</summary>
    public static string Label(RequestOutcome outcome) => outcome switch
    {
        RequestOutcome.Disclosed => "予以公开",
        RequestOutcome.PartlyDisclosed => "部分公开（区分处理的，只计这一情形，不计其他情形）",
        RequestOutcome.WithheldStateSecret => "不予公开：属于国家秘密",
        RequestOutcome.WithheldProhibitedByLaw => "不予公开：其他法律行政法规禁止公开",
        RequestOutcome.WithheldEndangersSafety => "不予公开：危及“三安全一稳定”",
        RequestOutcome.WithheldThirdPartyRights => "不予公开：保护第三方合法权益",
        RequestOutcome.WithheldInternalAffairs => "不予公开：属于三类内部事务信息",
        RequestOutcome.WithheldProcessInformation => "不予公开：属于四类过程性信息",
        RequestOutcome.WithheldEnforcementFile => "不予公开：属于行政执法案卷",
        RequestOutcome.WithheldAdministrativeQuery => "不予公开：属于行政查询事项",
        RequestOutcome.UnavailableNotHeld => "无法提供：本机关不掌握相关政府信息",
        RequestOutcome.UnavailableNeedsCreation => "无法提供：没有现成信息需要另行制作",
        RequestOutcome.UnavailableStillUnclear => "无法提供：补正后申请内容仍不明确",
        RequestOutcome.NotProcessedPetition => "不予处理：信访举报投诉类申请",
        RequestOutcome.NotProcessedRepeated => "不予处理：重复申请",
        RequestOutcome.NotProcessedPublication => "不予处理：要求提供公开出版物",
        RequestOutcome.NotProcessedExcessive => "不予处理：无正当理由大量反复申请",
        RequestOutcome.NotProcessedConfirmation => "不予处理：要求行政机关确认或重新出具已获取信息",
        RequestOutcome.OtherOverdueCorrection => "其他处理：申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        RequestOutcome.OtherOverdueFee => "其他处理：申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        RequestOutcome.OtherOther => "其他处理：其他",
        _ => outcome.ToString(),
    };

    public static string Label(InformationForm form) => form switch
    {
        InformationForm.Paper => "纸质",
        InformationForm.Electronic => "电子数据",
        _ => form.ToString(),
    };

    public static string Label(DeliveryMethod method) => method switch
    {
        DeliveryMethod.Post => "邮寄",
        DeliveryMethod.Email => "电子邮件",
        DeliveryMethod.Pickup => "当面领取",
        DeliveryMethod.Online => "网上获取",
        _ => method.ToString(),
    };

    public static string Label(AppealKind kind) => kind switch
    {
        AppealKind.Reconsideration => "行政复议",
        AppealKind.LitigationDirect => "行政诉讼（未经复议直接起诉）",
        AppealKind.LitigationAfterReconsideration => "行政诉讼（复议后起诉）",
        _ => kind.ToString(),
    };

    public static string Label(AppealResult result) => result switch
    {
        AppealResult.Upheld => "结果维持",
        AppealResult.Corrected => "结果纠正",
        AppealResult.Other => "其他结果",
        AppealResult.Pending => "尚未审结",
        _ => result.ToString(),
    };

    /// <summary>Strict: the exact name (no numbers, no other case), so "1" or "disclosed" is a field error.</summary>
    public static bool TryParse<TEnum>(string? text, out TEnum value) where TEnum : struct, Enum
    {
        value = default;
        var trimmed = text?.Trim() ?? "";
        return trimmed.Length > 0 && trimmed.All(char.IsAsciiLetter) && Enum.TryParse(trimmed, ignoreCase: false, out value)
               && Enum.IsDefined(value);
    }
}
