namespace Permits.Contracts.Review;

/// <summary>
/// 好差评: a 差评 (不满意 or 非常不满意) opened a follow-up item on the county head's board, due by
/// <paramref name="DueBy"/> (the county's working days, counted by Review's legal clock — the one place the rule lives).
/// <paramref name="DueBy"/> is null for a county Review does not know. Closed by <see cref="RatingFollowedUp"/>.
/// </summary>
public sealed record RatingFollowUpOpened(
    Guid ApplicationId,
    string ApplicationNumber,
    string CountyCode,
    int Level,
    DateTimeOffset RatedAt,
    DateOnly? DueBy,
    DateTimeOffset OpenedAt);
