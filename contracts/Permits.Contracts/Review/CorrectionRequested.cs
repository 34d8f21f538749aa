namespace Permits.Contracts.Review;

/// <summary>
/// 补正材料告知书: one notice listing everything the applicant must fix. The legal clock pauses until the applicant
/// resubmits (Intake's ApplicationResubmitted).
/// </summary>
public sealed record CorrectionRequested(
    Guid ApplicationId,
    Guid CaseId,
    string CountyCode,
    string DocumentNumber,
    IReadOnlyList<CorrectionItem> Items,
    string OfficerId,
    DateTimeOffset RequestedAt);

/// <param name="Material">What is to be fixed (a material or a form field), e.g. 场所使用证明.</param>
/// <param name="Reason">Why, and what is expected instead.</param>
public sealed record CorrectionItem(string Material, string Reason);
