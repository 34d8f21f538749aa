using Permits.Shared.Security;
using Permits.Shared.Steps;

namespace Permits.Review.Domain;

/// <summary>
/// Everything an officer can ask Review to do, and who may: the bureau divides the work by role — 受理 by clerks,
/// 核查 by inspectors, 审核 by reviewers, 审批 and 延期 by approving heads — and anyone of the county may look at and
/// claim its cases. <see cref="OfficerGuard"/> decides, county included; the codes are what the audit records.
/// </summary>
public static class ReviewSteps
{
    private static readonly string[] AnyCountyRole = [PermitsRoles.Clerk, PermitsRoles.Inspector, PermitsRoles.Reviewer, PermitsRoles.Head];

    public static readonly OfficerStep ViewQueue = new("ViewQueue", "查看待办队列", AnyCountyRole);
    public static readonly OfficerStep ViewCase = new("ViewCase", "查看案件", AnyCountyRole);
    public static readonly OfficerStep Claim = new("Claim", "领取案件", AnyCountyRole);
    public static readonly OfficerStep Release = new("Release", "退回案件", AnyCountyRole);
    public static readonly OfficerStep Accept = new("Accept", "受理", [PermitsRoles.Clerk]);
    public static readonly OfficerStep NotAccept = new("NotAccept", "作出不予受理决定", [PermitsRoles.Clerk]);
    public static readonly OfficerStep RequestCorrection = new("RequestCorrection", "出具补正材料告知书", [PermitsRoles.Clerk]);
    public static readonly OfficerStep RecordInspection = new("RecordInspection", "登记实地核查", [PermitsRoles.Inspector]);
    public static readonly OfficerStep RecordOpinion = new("RecordOpinion", "提出审核意见", [PermitsRoles.Reviewer]);
    public static readonly OfficerStep Approve = new("Approve", "准予行政许可", [PermitsRoles.Head]);
    public static readonly OfficerStep Deny = new("Deny", "作出不予行政许可决定", [PermitsRoles.Head]);
    public static readonly OfficerStep Extend = new("Extend", "延长审批期限", [PermitsRoles.Head]);

    /// <summary>移交: by the claim's holder, or a head (checked in the step), to a colleague with a role for the case's step.</summary>
    public static readonly OfficerStep Assign = new("Assign", "移交案件", AnyCountyRole);

    /// <summary>The officers working a case under review ask the head for 延期; only a head extends.</summary>
    public static readonly OfficerStep RequestExtension = new("RequestExtension", "申请延长审批期限", [PermitsRoles.Inspector, PermitsRoles.Reviewer]);

    /// <summary>The head's answer to a 延期 request he does not grant: the request is cleared, with the reason on record.</summary>
    public static readonly OfficerStep DeclineExtension = new("DeclineExtension", "不同意延长审批期限", [PermitsRoles.Head]);

    public static readonly OfficerStep ViewBoard = new("ViewBoard", "查看办理时限看板", [PermitsRoles.Head]);

    /// <summary>好差评回访: the county head records the contact with the rater of a 差评 and the rectification.</summary>
    public static readonly OfficerStep FollowUpRating = new("FollowUpRating", "登记差评回访整改", [PermitsRoles.Head]);

    /// <summary>The county's 系统管理员 sets its 合理布局 distances and quotas and its 承诺时限 (and alone reads them with their trail).</summary>
    public static readonly OfficerStep ChangeSettings = new("ChangeSettings", "修改本县审批设置", CountySettings<ReviewModule>.AdminRoles);

    /// <summary>节假日安排: the calendar is national, so any county's 系统管理员 may enter a year (audited in his county).</summary>
    public static readonly OfficerStep PublishHolidayCalendar = new("PublishHolidayCalendar", "发布节假日安排", [PermitsRoles.SystemAdmin]);

    public static readonly OfficerStep ViewHolidayCalendars = new("ViewHolidayCalendars", "查看节假日安排", [PermitsRoles.SystemAdmin]);

    public static readonly IReadOnlyList<OfficerStep> All =
        [ViewQueue, ViewCase, Claim, Release, Accept, NotAccept, RequestCorrection, RecordInspection, RecordOpinion, Approve, Deny, Extend,
         Assign, RequestExtension, DeclineExtension, ViewBoard, FollowUpRating, ChangeSettings, PublishHolidayCalendar, ViewHolidayCalendars];
}
