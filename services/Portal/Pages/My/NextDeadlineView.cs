using Permits.Contracts.Intake.V1;

namespace Permits.Portal.Pages.My;

/// <summary>The bureau's next legal deadline, as both the owner's and the public view carry it.</summary>
public sealed record NextDeadlineView(bool Paused, int RemainingWorkingDays, string Deadline, string Kind, string Label, bool Provisional)
{
    public static NextDeadlineView Of(Application a) =>
        new(a.DeadlinePaused, a.DeadlineRemainingWorkingDays, a.NextDeadline, a.NextDeadlineKind, a.NextDeadlineLabel, a.NextDeadlineProvisional);

    public static NextDeadlineView Of(PublicApplication a) =>
        new(a.DeadlinePaused, a.DeadlineRemainingWorkingDays, a.NextDeadline, a.NextDeadlineKind, a.NextDeadlineLabel, a.NextDeadlineProvisional);
}
