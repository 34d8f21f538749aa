using Permits.Contracts.Review;
using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Notifications.Consumers;

/// <summary>补正: what to fix, and where to read the notice.</summary>
public sealed class CorrectionRequestedConsumer(
    ServiceDatabase<NotificationsModule> database, TimeProvider time, ILogger<CorrectionRequestedConsumer> logger)
    : NotifyingConsumer<CorrectionRequested>(database, time, logger)
{
    protected override Notice Of(CorrectionRequested message) => new(
        message.ApplicationId,
        DeterministicGuid.Create(message.ApplicationId, message.DocumentNumber),
        new Dictionary<string, string>
        {
            ["DocumentNumber"] = message.DocumentNumber,
            ["Materials"] = string.Join("、", message.Items.Select(i => i.Material).Distinct()),
        });
}

/// <summary>受理, with the date the decision is due.</summary>
public sealed class ApplicationAcceptedConsumer(
    ServiceDatabase<NotificationsModule> database, TimeProvider time, ILogger<ApplicationAcceptedConsumer> logger)
    : NotifyingConsumer<ApplicationAccepted>(database, time, logger)
{
    protected override Notice Of(ApplicationAccepted message) => new(
        message.ApplicationId,
        DeterministicGuid.Create(message.ApplicationId, message.DocumentNumber),
        new Dictionary<string, string>
        {
            ["DocumentNumber"] = message.DocumentNumber,
            ["DecisionDueBy"] = ChinaTime.Text(message.DecisionDueBy),
        });
}

/// <summary>不予受理: the decision and where to read its reasons and remedies.</summary>
public sealed class ApplicationNotAcceptedConsumer(
    ServiceDatabase<NotificationsModule> database, TimeProvider time, ILogger<ApplicationNotAcceptedConsumer> logger)
    : NotifyingConsumer<ApplicationNotAccepted>(database, time, logger)
{
    protected override Notice Of(ApplicationNotAccepted message) => new(
        message.ApplicationId,
        DeterministicGuid.Create(message.ApplicationId, message.DocumentNumber),
        new Dictionary<string, string> { ["DocumentNumber"] = message.DocumentNumber });
}

/// <summary>延长审批期限, with the new due date.</summary>
public sealed class DecisionPeriodExtendedConsumer(
    ServiceDatabase<NotificationsModule> database, TimeProvider time, ILogger<DecisionPeriodExtendedConsumer> logger)
    : NotifyingConsumer<DecisionPeriodExtended>(database, time, logger)
{
    protected override Notice Of(DecisionPeriodExtended message) => new(
        message.ApplicationId,
        DeterministicGuid.Create(message.ApplicationId, message.DocumentNumber),
        new Dictionary<string, string>
        {
            ["DocumentNumber"] = message.DocumentNumber,
            ["DecisionDueBy"] = ChinaTime.Text(message.DecisionDueBy),
        });
}

/// <summary>准予行政许可.</summary>
public sealed class LicenceApprovedConsumer(
    ServiceDatabase<NotificationsModule> database, TimeProvider time, ILogger<LicenceApprovedConsumer> logger)
    : NotifyingConsumer<LicenceApproved>(database, time, logger)
{
    protected override Notice Of(LicenceApproved message) => new(
        message.ApplicationId,
        DeterministicGuid.Create(message.ApplicationId, message.DocumentNumber),
        new Dictionary<string, string> { ["DocumentNumber"] = message.DocumentNumber });
}

/// <summary>不予行政许可.</summary>
public sealed class LicenceDeniedConsumer(
    ServiceDatabase<NotificationsModule> database, TimeProvider time, ILogger<LicenceDeniedConsumer> logger)
    : NotifyingConsumer<LicenceDenied>(database, time, logger)
{
    protected override Notice Of(LicenceDenied message) => new(
        message.ApplicationId,
        DeterministicGuid.Create(message.ApplicationId, message.DocumentNumber),
        new Dictionary<string, string> { ["DocumentNumber"] = message.DocumentNumber });
}

/// <summary>好差评回访: the rater of a 差评 is told the head followed it up, and what was rectified.</summary>
public sealed class RatingFollowedUpConsumer(
    ServiceDatabase<NotificationsModule> database, TimeProvider time, ILogger<RatingFollowedUpConsumer> logger)
    : NotifyingConsumer<RatingFollowedUp>(database, time, logger)
{
    protected override Notice Of(RatingFollowedUp message) => new(
        message.ApplicationId,
        DeterministicGuid.Create(message.ApplicationId, nameof(RatingFollowedUp)),
        new Dictionary<string, string>
        {
            ["Rectification"] = message.Rectification.Length > 200 ? message.Rectification[..200] + "…" : message.Rectification,
        });
}
