using Permits.Contracts.Disclosure.V1;
using Permits.Shared.Domain;
using Permits.Shared.Steps;

namespace Permits.Disclosure.Requests;

/// <summary>征求第三方意见: the answer clock pauses while a third party is consulted, and runs again when it ends.</summary>
public sealed class DeskConsultation(DeskSteps desk, RequestClock clock)
{
    /// <summary>The consultation starts: the clock pauses with the working days it had left.</summary>
    public async Task<InformationRequestView> StartAsync(StartThirdPartyConsultation request, Officer clerk, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var thirdParty = DeskSteps.Text(request.ThirdParty, "third_party", 2, 200, "请填写被征求意见的第三方（2–200 个字）", errors);
        await desk.ThrowIfInvalidAsync(clerk, DeskStep.StartConsultation, request.RequestNumber, errors, ct);
        return await desk.RunAsync(clerk, DeskStep.StartConsultation, request.RequestNumber, (row, now, today) =>
        {
            if (row.ConsultationStartedOn is not null)
            {
                throw DeskSteps.Precondition("该申请已征求过第三方意见");
            }

            if (row.DueOn is { } dueOn && today > dueOn)
            {
                throw DeskSteps.Precondition($"答复期限已于 {ChinaTime.Text(dueOn)} 届满，不能再暂停计时");
            }

            var remaining = clock.WorkingDaysLeft(today, row.DueOn!.Value);
            var consultationDue = clock.ConsultationDue(today);
            return new DeskChange(
                row with
                {
                    State = nameof(RequestState.Consulting),
                    ThirdParty = thirdParty,
                    ConsultationStartedOn = today,
                    ConsultationDueOn = consultationDue.Date,
                    RemainingWorkingDays = remaining,
                },
                $"征求第三方意见，期间不计入答复期限（第三方应于 {ChinaTime.Text(consultationDue.Date)} 前提出意见），尚余 {remaining} 个工作日");
        }, ct);
    }

    /// <summary>The consultation ends: the days left run again from today, or from the third party's deadline if earlier.</summary>
    public async Task<InformationRequestView> EndAsync(EndThirdPartyConsultation request, Officer clerk, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var note = DeskSteps.Text(request.Note, "note", 0, 1000, "说明不能超过 1000 个字", errors);
        await desk.ThrowIfInvalidAsync(clerk, DeskStep.EndConsultation, request.RequestNumber, errors, ct);
        return await desk.RunAsync(clerk, DeskStep.EndConsultation, request.RequestNumber, (row, now, today) =>
        {
            var due = clock.Resume(today, row.ConsultationDueOn!.Value, row.RemainingWorkingDays ?? 0);
            return new DeskChange(
                row with
                {
                    State = nameof(RequestState.Received),
                    RemainingWorkingDays = null,
                    DueOn = due.Date,
                    DueProvisional = due.Provisional ? 1 : 0,
                },
                $"恢复计时，应于 {ChinaTime.Text(due.Date)} 前答复" + DeskSteps.Then(note));
        }, ct);
    }
}
