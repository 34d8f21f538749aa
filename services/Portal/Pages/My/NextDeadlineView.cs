using Permits.Contracts.Intake.V1;

namespace Permits.Portal.Pages.My;

/// <summary>The bureau's next legal deadline, as both the owner's and the public view carry it.</summary>
/// <param name="Promised">The county's shorter promise (承诺时限), yyyy-MM-dd, shown beside the legal deadline; "" when none.</param>
public sealed record NextDeadlineView(
    bool Paused, int RemainingWorkingDays, string Deadline, string Kind, string Label, bool Provisional, string Promised = "")
{
    public static NextDeadlineView Of(Application a) =>
        new(a.DeadlinePaused, a.DeadlineRemainingWorkingDays, a.NextDeadline, a.NextDeadlineKind, a.NextDeadlineLabel, a.NextDeadlineProvisional,
            a.PromisedDecisionDueBy);

    public static NextDeadlineView Of(PublicApplication a) =>
        new(a.DeadlinePaused, a.DeadlineRemainingWorkingDays, a.NextDeadline, a.NextDeadlineKind, a.NextDeadlineLabel, a.NextDeadlineProvisional);
}
