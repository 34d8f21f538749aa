using Permits.Contracts.Intake.V1;
using Permits.Contracts.Licensing;

namespace Permits.Portal.Pages.My;

/// <summary>One step of the stepper: its name, whether it is done or the current one, and a word on how it ended.</summary>
public sealed record ProgressStep(string Label, bool Done, bool Current, string? Outcome);

/// <summary>
/// The steps of an application as its owner sees them at the top of the page (提交 → 受理 → 审查决定 → 发证 → 送达 → 办结),
/// from the status Intake reports (its status codes: Submitted, CorrectionRequested, Accepted, …). 停业, 恢复营业, 歇业 and
/// 注销 change the licence already held and print none: they end at the decision. A refusal or withdrawal ends the
/// steps where it happened.
/// </summary>
public static class ProgressSteps
{
    /// <summary>The request types that end in a licence to hand over (a new one, a changed, renewed or reissued one).</summary>
    private static readonly HashSet<string> Printed = [RequestTypes.New, RequestTypes.Change, RequestTypes.Renewal, RequestTypes.Reissue];

    public static IReadOnlyList<ProgressStep> Of(Application application)
    {
        var printed = RequestTypes.TryGet(application.RequestType, out var type) && Printed.Contains(type.Code)
                      && application.Status != "Completed";
        string[] labels = printed
            ? ["提交申请", "受理", "审查决定", "发证", application.DeliveryMethod == DeliveryMethod.Pickup ? "窗口领取" : "快递送达", "办结"]
            : ["提交申请", "受理", "审查决定", "办结"];
        var (at, outcome) = application.Status switch
        {
            "Submitted" or "Resubmitted" => (1, null),
            "CorrectionRequested" => (1, "需补正材料"),
            "NotAccepted" => (1, "不予受理"),
            "Accepted" => (2, null),
            "Denied" => (2, "不予许可"),
            "Approved" => (printed ? 3 : labels.Length - 1, null),
            "CertificateIssued" => (3, null),
            "Dispatched" or "AwaitingPickup" => (4, null),
            "DeliveryFailed" => (4, "投递未成功"),
            "Delivered" or "Completed" => (labels.Length - 1, null),
            "Withdrawn" => (CurrentBeforeWithdrawal(application), "已撤回"),
            _ => (0, null),
        };
        var finished = application.Status is "Delivered" or "Completed" or "NotAccepted" or "Denied" or "Withdrawn";
        return labels.Select((label, i) => new ProgressStep(
            label,
            Done: i < at || (finished && i == at && outcome is null),
            Current: i == at,
            Outcome: i == at ? outcome : null)).ToList();
    }

    /// <summary>A withdrawn application stops at 受理 or 审查决定, whichever it had reached.</summary>
    private static int CurrentBeforeWithdrawal(Application application) =>
        application.History.Any(h => h.Status == "Accepted") ? 2 : 1;
}
