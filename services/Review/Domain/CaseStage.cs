namespace Permits.Review.Domain;

/// <summary>The stages of a review case, with the officer-facing labels.</summary>
public static class CaseStage
{
    /// <summary>Received; the bureau must accept, refuse or ask for corrections within 5 working days.</summary>
    public const string AwaitingAcceptance = "AwaitingAcceptance";

    /// <summary>补正: the applicant owes the corrections listed in the notice; the clock is paused.</summary>
    public const string AwaitingCorrection = "AwaitingCorrection";

    /// <summary>Accepted (受理); the 20-working-day decision clock runs.</summary>
    public const string UnderReview = "UnderReview";

    /// <summary>准予行政许可.</summary>
    public const string Approved = "Approved";

    /// <summary>不予受理.</summary>
    public const string NotAccepted = "NotAccepted";

    /// <summary>不予行政许可.</summary>
    public const string Denied = "Denied";

    public static readonly string[] Open = [AwaitingAcceptance, AwaitingCorrection, UnderReview];

    public static readonly string[] All = [AwaitingAcceptance, AwaitingCorrection, UnderReview, Approved, NotAccepted, Denied];

    public static string Label(string stage) => stage switch
    {
        AwaitingAcceptance => "待受理",
        AwaitingCorrection => "待补正",
        UnderReview => "审查中",
        Approved => "已准予许可",
        NotAccepted => "不予受理",
        Denied => "不予许可",
        _ => stage,
    };

    public static bool IsKnown(string stage) => All.Contains(stage);

    public static bool IsOpen(string stage) => Open.Contains(stage);
}
