namespace Permits.Contracts.Intake;

/// <summary>
/// 好差评: the applicant rated the service of a concluded case. <paramref name="Level"/> is 1 (非常满意) to 5 (非常不满意);
/// <paramref name="NeedsFollowUp"/> marks a 差评 (4 or 5), which must be followed up and rectified. The comment is the
/// applicant's own words and is not for publication as it stands.
/// </summary>
public sealed record ServiceRated(
    Guid ApplicationId,
    string ApplicationNumber,
    string CountyCode,
    int Level,
    bool NeedsFollowUp,
    string? Comment,
    DateTimeOffset RatedAt);
