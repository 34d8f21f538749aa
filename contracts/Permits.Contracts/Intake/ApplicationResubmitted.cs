namespace Permits.Contracts.Intake;

/// <summary>
/// The shopkeeper answered a correction notice (补正) and resubmitted the application. Review resumes the paused
/// legal clock from the day after <paramref name="ResubmittedAt"/>.
/// </summary>
public sealed record ApplicationResubmitted(
    Guid ApplicationId,
    string ApplicationNumber,
    string CountyCode,
    DateTimeOffset ResubmittedAt);
