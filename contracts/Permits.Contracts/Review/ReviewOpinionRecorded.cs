namespace Permits.Contracts.Review;

/// <summary>审核意见: the reviewer recommends approval or denial to the approving head.</summary>
/// <param name="Recommendation">Approve or Deny.</param>
public sealed record ReviewOpinionRecorded(
    Guid ApplicationId,
    Guid CaseId,
    string CountyCode,
    string DocumentNumber,
    string Recommendation,
    string Opinion,
    string OfficerId,
    DateTimeOffset RecordedAt);
