using Permits.Contracts.Disclosure.V1;
using Permits.Shared.Domain;
using Permits.Shared.Steps;

namespace Permits.Disclosure.Requests;

/// <summary>延期 and 答复: the clerk extends the time to answer once, and answers with exactly one outcome.</summary>
public sealed class DeskAnswer(DeskSteps desk, RequestClock clock)
{
    /// <summary>延期: 20 more working days, once, with the approving head named; not after the period has run out.</summary>
    public async Task<InformationRequestView> ExtendAsync(ExtendInformationRequest request, Officer clerk, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var approvedBy = DeskSteps.Text(request.ApprovedBy, "approved_by", 2, 50, "请填写批准延期的负责人（2–50 个字）", errors);
        var reason = DeskSteps.Text(request.Reason, "reason", 2, 1000, "请填写延期理由（2–1000 个字）", errors);
        await desk.ThrowIfInvalidAsync(clerk, DeskStep.Extend, request.RequestNumber, errors, ct);
        return await desk.RunAsync(clerk, DeskStep.Extend, request.RequestNumber, (row, now, today) =>
        {
            if (row.Extended != 0)
            {
                throw DeskSteps.Precondition("答复期限只能延长一次，已经延长过");
            }

            RequestRow changed;
            string detail;
            if (row.StateValue == RequestState.Consulting)
            {
                changed = row with { RemainingWorkingDays = (row.RemainingWorkingDays ?? 0) + clock.Limits.ExtensionDays };
                detail = $"经 {approvedBy} 批准延长 {clock.Limits.ExtensionDays} 个工作日（征求意见结束后尚余 {changed.RemainingWorkingDays} 个工作日）：{reason}";
            }
            else
            {
                if (today > row.DueOn!.Value)
                {
                    throw DeskSteps.Precondition($"答复期限已于 {ChinaTime.Text(row.DueOn)} 届满，不能再延长");
                }

                var due = clock.Extend(row.DueOn.Value);
                changed = row with { DueOn = due.Date, DueProvisional = row.DueProvisional != 0 || due.Provisional ? 1 : 0 };
                detail = $"经 {approvedBy} 批准延长 {clock.Limits.ExtensionDays} 个工作日，应于 {ChinaTime.Text(due.Date)} 前答复：{reason}";
            }

            return new DeskChange(changed with { Extended = 1, ExtensionApprovedBy = approvedBy }, detail);
        }, ct);
    }

    /// <summary>答复 with exactly one outcome (a row of the annual report); every outcome but 予以公开 states its grounds.</summary>
    public async Task<InformationRequestView> AnswerAsync(AnswerInformationRequest request, Officer clerk, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (!RequestTerms.TryParse<RequestOutcome>(request.Outcome, out var outcome))
        {
            errors.Add("outcome", "请选择一种办理结果");
        }
        else if (outcome == RequestOutcome.OtherOverdueCorrection)
        {
            errors.Add("outcome", "逾期不补正请使用“逾期未补正，不再处理”办理");
        }

        var reason = DeskSteps.Text(request.Reason, "reason", outcome == RequestOutcome.Disclosed ? 0 : 2, 2000,
            "请写明答复的理由和依据（不予公开、无法提供、不予处理等须说明理由，不超过 2000 个字）", errors);
        await desk.ThrowIfInvalidAsync(clerk, DeskStep.Answer, request.RequestNumber, errors, ct);
        return await desk.RunAsync(clerk, DeskStep.Answer, request.RequestNumber, (row, now, today) =>
        {
            if (outcome == RequestOutcome.UnavailableStillUnclear && row.CorrectedOn is null)
            {
                throw DeskSteps.Precondition("“补正后申请内容仍不明确”只适用于已补正的申请");
            }

            var late = row.DueOn is { } dueOn && today > dueOn;
            return new DeskChange(
                row with
                {
                    State = nameof(RequestState.Answered),
                    Outcome = outcome.ToString(),
                    OutcomeReason = reason,
                    AnsweredOn = today,
                    AnsweredAt = now,
                    AnsweredLate = late ? 1 : 0,
                },
                RequestTerms.Label(outcome) + DeskSteps.Then(reason) + (late ? "（超过法定期限答复）" : ""));
        }, ct);
    }
}
