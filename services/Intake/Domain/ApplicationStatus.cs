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

    private static readonly Dictionary<string, (int Rank, string Label)> Known = new()
    {
        [Submitted] = (10, "已提交，等待受理"),
        [Accepted] = (20, "已受理，审查中"),
        [Approved] = (30, "准予许可"),
        [CertificateIssued] = (40, "已发证"),
        [Dispatched] = (50, "证件已寄出"),
        [DeliveryFailed] = (55, "投递未成功"),
        [Delivered] = (60, "已送达"),
    };

    public static int Rank(string status) => Known.TryGetValue(status, out var s) ? s.Rank : 0;

    public static string Label(string status) => Known.TryGetValue(status, out var s) ? s.Label : status;
}
