namespace Permits.Contracts.Intake;

/// <summary>
/// The shopkeeper withdrew the application before a decision (撤回申请). Review closes the case without a decision.
/// </summary>
public sealed record ApplicationWithdrawn(
    Guid ApplicationId,
    string ApplicationNumber,
    string CountyCode,
    DateTimeOffset WithdrawnAt);
