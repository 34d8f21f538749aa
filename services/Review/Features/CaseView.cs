using Google.Protobuf.WellKnownTypes;
using Permits.Contracts.Review.V1;
using Permits.Review.Domain;
using Permits.Shared.Domain;

namespace Permits.Review.Features;

/// <summary>
/// A case as officers see it: the stored row with its step in words and the working days left on the running clock
/// (from <see cref="LegalClock"/>, today in China time).
/// </summary>
public sealed class CaseView(LegalClock clock, TimeProvider time)
{
    public Case ToMessage(CaseRow row) => ToMessage(row, time.Today());

    public Case ToMessage(CaseRow row, DateOnly today)
    {
        var state = row.Clock;
        var step = row.Step ?? CaseStep.Of(row);
        var message = new Case
        {
            CaseId = row.Id.ToString(),
            ApplicationId = row.ApplicationId.ToString(),
            ApplicationNumber = row.ApplicationNumber,
            CountyCode = row.CountyCode,
            Stage = row.Stage,
            // 核查, 审核 and 审批 are one stage in law (审查) but three desks: the label says whose.
            StageLabel = step is null ? CaseStage.Label(row.Stage) : CaseStep.Label(step),
            Step = step ?? "",
            StepLabel = step is null ? "" : CaseStep.Label(step),
            BusinessName = row.BusinessName,
            HolderType = row.HolderType,
            RequestType = row.RequestType,
            PremisesAddress = row.PremisesAddress,
            ReceivedAt = Timestamp.FromDateTimeOffset(row.ReceivedAt),
            DueBy = state.Running ? ChinaTime.Text(row.DueBy) : "",
            DueByProvisional = state.Running && row.DueProvisional != 0,
            AcceptanceDocumentNumber = row.AcceptanceDocument ?? "",
            DecisionDocumentNumber = row.DecisionDocument ?? "",
            ClockPhase = state.Phase,
            ClockPaused = state.Paused,
            ClockRemainingWorkingDays = state.RemainingWorkingDays ?? 0,
            DecisionPeriodExtended = state.Extended,
            DeemedAccepted = row.DeemedAccepted != 0,
            CorrectionDocumentNumber = row.CorrectionDocument ?? "",
            ExtensionDocumentNumber = row.ExtensionDocument ?? "",
            ClaimedBy = row.ClaimedBy ?? "",
            ClaimedByName = row.ClaimedBy is null ? "" : row.ClaimedByName ?? "",
            InspectionDocumentNumber = row.InspectionDocument ?? "",
            OpinionDocumentNumber = row.OpinionDocument ?? "",
            Recommendation = row.Recommendation ?? "",
            LicenceNumber = row.LicenceNumber ?? "",
            HolderMatch = row.HolderMatch ?? (string.IsNullOrEmpty(row.LicenceNumber) ? "" : "Unchecked"),
            CorrectionReturned = row.CorrectionReturned,
            ExtensionRequested = row.ExtensionRequested,
        };
        if (state.Running && CaseStage.IsOpen(row.Stage))
        {
            var left = clock.WorkingDaysLeftSigned(today, row.DueBy);
            message.WorkingDaysLeft = left;
            message.Overdue = left < 0;
        }

        if (row.ExtensionRequested)
        {
            message.ExtensionRequestedBy = row.ExtensionRequester;
            message.ExtensionRequestReason = row.ExtensionRequestReason ?? "";
        }

        if (row.ClaimExpiresAt is { } expires)
        {
            message.ClaimExpiresAt = Timestamp.FromDateTimeOffset(expires);
        }

        if (!string.IsNullOrEmpty(row.DecisionReasons))
        {
            message.DecisionReasons.AddRange(row.DecisionReasons.Split('\n'));
        }

        message.DecisionGrounds.AddRange(CaseGrounds.Parse(row.DecisionGrounds).Select(CaseGrounds.ToMessage));
        if (row.ServedAt is { } served)
        {
            message.ServedAt = Timestamp.FromDateTimeOffset(served);
            message.ServedMethod = row.ServedMethod ?? "";
            message.ServedMethodLabel = CaseService.Label(row.ServedMethod);
        }

        message.ChangedOn = ChinaTime.Text(row.ChangedOn);
        message.FiledLate = row.FiledLate != 0;
        if (row.PromisedDueBy is { } promised && state.Running && state.Phase == ClockPhase.Decision)
        {
            message.PromisedDueBy = ChinaTime.Text(promised);
            message.PromisedOverdue = LegalClock.IsBreached(promised, today);
        }

        if (!string.IsNullOrEmpty(row.DecisionOverride))
        {
            message.DecisionOverrideReasons.AddRange(row.DecisionOverride.Split('\n'));
        }

        return message;
    }
}
