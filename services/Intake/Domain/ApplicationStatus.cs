namespace Permits.Intake.Domain;

/// <summary>Where an application is, as the applicant sees it. Rank orders them, so a late event never moves it back.</summary>
public static class ApplicationStatus
{
    public const string Submitted = "Submitted";
    public const string Accepted = "Accepted";
    public const string Approved = "Approved";
    public const string CertificateIssued = "CertificateIssued";
    public const string Dispatched = "Dispatched";
    public const string DeliveryFailed = "DeliveryFailed";
    public const string Delivered = "Delivered";
    public const string CorrectionRequested = "CorrectionRequested";
    public const string Resubmitted = "Resubmitted";
    public const string Withdrawn = "Withdrawn";
    public const string NotAccepted = "NotAccepted";
    public const string Denied = "Denied";
    public const string AwaitingPickup = "AwaitingPickup";

    /// <summary>办结 without a licence to serve: 停业, 恢复营业, 歇业 or 注销 applied to the licence by Certificate.</summary>
    public const string Completed = "Completed";

    /// <summary>History steps only, never an application's status: a decision period extended, a shipment's progress.</summary>
    public const string Extended = "Extended";
    public const string Tracking = "Tracking";

    /// <summary>History step only: a deadline counted again on a holiday arrangement published since.</summary>
    public const string Recounted = "Recounted";

    private static readonly Dictionary<string, (int Rank, string Label)> Known = new()
    {
        [Submitted] = (10, "已提交，等待受理"),
        [CorrectionRequested] = (11, "需补正材料"),
        [Resubmitted] = (12, "已补正，等待受理"),
        [Accepted] = (20, "已受理，审查中"),
        [Approved] = (30, "准予许可"),
        [CertificateIssued] = (40, "已发证"),
        [Dispatched] = (50, "证件已寄出"),
        [DeliveryFailed] = (55, "投递未成功"),
        [AwaitingPickup] = (57, "待窗口领取"),
        [Delivered] = (60, "已送达"),
        [Completed] = (60, "已办结"),
        [Extended] = (0, "延长审批期限"),
        [Tracking] = (0, "物流跟踪"),
        [Recounted] = (0, "期限重新计算"),
        // Final: nothing moves an application out of these.
        [Withdrawn] = (100, "已撤回"),
        [NotAccepted] = (100, "不予受理"),
        [Denied] = (100, "不予许可"),
    };

    /// <summary>Before a decision: the applicant may still withdraw.</summary>
    public static bool CanWithdraw(string status) => status is Submitted or CorrectionRequested or Resubmitted or Accepted;

    /// <summary>Concluded (办结): the applicant may rate the service (好差评).</summary>
    public static bool Concluded(string status) => ConcludedStatuses.Contains(status);

    /// <summary>The statuses <see cref="Concluded"/> holds for, as a list a statement can take.</summary>
    public static readonly string[] ConcludedStatuses = [Delivered, Completed, NotAccepted, Denied];

    /// <summary>A correction notice may still arrive (not decided, not final).</summary>
    public static bool Undecided(string status) => CanWithdraw(status);

    /// <summary>The statuses an application may hold that rank below <paramref name="status"/>: those it moves forward from.</summary>
    public static string[] Below(string status) => BelowOf.TryGetValue(status, out var below) ? below : [];

    private static readonly Dictionary<string, string[]> BelowOf = Known.Keys.ToDictionary(
        status => status, status => Known.Where(k => k.Value.Rank < Known[status].Rank).Select(k => k.Key).ToArray());

    /// <summary>The statuses <see cref="Undecided"/> holds for, as a list a statement can take.</summary>
    public static readonly string[] UndecidedStatuses = [Submitted, CorrectionRequested, Resubmitted, Accepted];

    public static int Rank(string status) => Known.TryGetValue(status, out var s) ? s.Rank : 0;

    public static string Label(string status) => Known.TryGetValue(status, out var s) ? s.Label : status;
}
