namespace Permits.Contracts.Review;

/// <summary>
/// 好差评: the county head followed up a 差评 — contacted the rater and recorded the rectification (整改措施) — so the
/// rater is told what was done. One per rating.
/// </summary>
public sealed record RatingFollowedUp(
    Guid ApplicationId,
    string ApplicationNumber,
    string CountyCode,
    string Rectification,
    string OfficerId,
    DateTimeOffset ClosedAt);
