using Permits.Contracts.Disclosure.V1;
using Permits.Shared.Domain;
using Permits.Shared.Steps;

namespace Permits.Disclosure.Requests;

/// <summary>补正: the clerk asks the requester to correct the request, and closes it when they never do.</summary>
public sealed class DeskCorrection(DeskSteps desk, RequestClock clock)
{
    /// <summary>补正告知: once, within 7 working days of receipt; the clock stops until the corrected request arrives.</summary>
    public async Task<InformationRequestView> RequestAsync(RequestInformationCorrection request, Officer clerk, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var notice = DeskSteps.Text(request.Notice, "notice", 5, 2000, "请写明需要补正的事项和要求（5–2000 个字）", errors);
        var days = request.CorrectionWorkingDays == 0 ? clock.Limits.DefaultCorrectionDays : request.CorrectionWorkingDays;
        if (days < 1 || days > clock.Limits.MaxCorrectionDays)
        {
            errors.Add("correction_working_days", $"补正期限应为 1–{clock.Limits.MaxCorrectionDays} 个工作日");
        }

        await desk.ThrowIfInvalidAsync(clerk, DeskStep.RequestCorrection, request.RequestNumber, errors, ct);
        return await desk.RunAsync(clerk, DeskStep.RequestCorrection, request.RequestNumber, (row, now, today) =>
        {
            if (row.CorrectionRequestedOn is not null)
            {
                throw DeskSteps.Precondition("补正告知只能出具一次，已于 " + ChinaTime.Text(row.CorrectionRequestedOn) + " 出具");
            }

            if (today > row.CorrectionNoticeDueOn)
            {
                throw DeskSteps.Precondition($"补正告知应在收到申请之日起 7 个工作日内（{ChinaTime.Text(row.CorrectionNoticeDueOn)} 前）出具，现已超期");
            }

            var due = clock.CorrectionDue(today, days);
            return new DeskChange(
                row with
                {
                    State = nameof(RequestState.AwaitingCorrection),
                    CorrectionNotice = notice,
                    CorrectionRequestedOn = today,
                    CorrectionDueOn = due.Date,
                    DueOn = null,
                    DueProvisional = 0,
                },
                $"请于 {ChinaTime.Text(due.Date)} 前补正：{notice}");
        }, ct);
    }

    /// <summary>逾期不补正: only once the requester's time to correct has run out.</summary>
    public async Task<InformationRequestView> CloseOverdueAsync(CloseOverdueCorrectionRequest request, Officer clerk, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var note = DeskSteps.Text(request.Note, "note", 0, 1000, "说明不能超过 1000 个字", errors);
        await desk.ThrowIfInvalidAsync(clerk, DeskStep.CloseOverdueCorrection, request.RequestNumber, errors, ct);
        return await desk.RunAsync(clerk, DeskStep.CloseOverdueCorrection, request.RequestNumber, (row, now, today) =>
        {
            if (today <= row.CorrectionDueOn!.Value)
            {
                throw DeskSteps.Precondition($"补正期限至 {ChinaTime.Text(row.CorrectionDueOn)}，期满后申请人仍未补正的，才能不再处理");
            }

            return new DeskChange(
                row with
                {
                    State = nameof(RequestState.Answered),
                    Outcome = nameof(RequestOutcome.OtherOverdueCorrection),
                    OutcomeReason = note,
                    AnsweredOn = today,
                    AnsweredAt = now,
                    AnsweredLate = 0,
                },
                $"申请人未在 {ChinaTime.Text(row.CorrectionDueOn)} 前补正，视为放弃申请，不再处理" + DeskSteps.Then(note));
        }, ct);
    }
}
