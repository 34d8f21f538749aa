namespace Permits.Review.Domain;

/// <summary>The stages of a review case, with the officer-facing labels.</summary>
public static class CaseStage
{
    /// <summary>Received; the bureau must accept, refuse or ask for corrections within 5 working days.</summary>
    public const string AwaitingAcceptance = "AwaitingAcceptance";

    /// <summary>Accepted (受理); the 20-working-day decision clock runs.</summary>
    public const string UnderReview = "UnderReview";

    /// <summary>准予行政许可.</summary>
    public const string Approved = "Approved";

    public static string Label(string stage) => stage switch
    {
        AwaitingAcceptance => "待受理",
        UnderReview => "审查中",
        Approved => "已准予许可",
        _ => stage,
    };

    public static bool IsOpen(string stage) => stage is AwaitingAcceptance or UnderReview;
}
