using Grpc.Core;
using Permits.Contracts.Disclosure.V1;
using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Disclosure.Requests;

/// <summary>
/// The clerk's steps on a request. Each checks the input, the clerk's county and the request's state, changes the
/// request under a version check, and writes the step (who, when, what) in the same transaction; a refused step
/// changes nothing.
/// </summary>
public sealed class DeskActions(
    ServiceDatabase<DisclosureModule> database,
    CountyDirectory counties,
    RequestClock clock,
    TimeProvider time)
{
    private static readonly RequestState[] Received = [RequestState.Received];

    /// <summary>补正告知: once, within 7 working days of receipt; the clock stops until the corrected request arrives.</summary>
    public async Task<InformationRequestView> RequestCorrectionAsync(RequestInformationCorrection request, Clerk clerk, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var notice = Text(request.Notice, "notice", 5, 2000, "请写明需要补正的事项和要求（5–2000 个字）", errors);
        var days = request.CorrectionWorkingDays == 0 ? clock.Limits.DefaultCorrectionDays : request.CorrectionWorkingDays;
        if (days < 1 || days > clock.Limits.MaxCorrectionDays)
        {
            errors.Add("correction_working_days", $"补正期限应为 1–{clock.Limits.MaxCorrectionDays} 个工作日");
        }

        await ThrowIfInvalidAsync(clerk, request.RequestNumber, errors, ct);
        return await RunAsync(clerk, request.RequestNumber, Received, "出具补正告知书", (row, now, today) =>
        {
            if (row.CorrectionRequestedOn is not null)
            {
                throw Precondition("补正告知只能出具一次，已于 " + ChinaTime.Text(row.CorrectionRequestedOn) + " 出具");
            }

            if (today > row.CorrectionNoticeDueOn)
            {
                throw Precondition($"补正告知应在收到申请之日起 7 个工作日内（{ChinaTime.Text(row.CorrectionNoticeDueOn)} 前）出具，现已超期");
            }

            var due = clock.CorrectionDue(today, days);
            return Step(
                row with
                {
                    State = nameof(RequestState.AwaitingCorrection),
                    CorrectionNotice = notice,
                    CorrectionRequestedOn = today,
                    CorrectionDueOn = due.Date,
                    DueOn = null,
                    DueProvisional = 0,
                },
                RequestSteps.CorrectionRequested,
                $"请于 {ChinaTime.Text(due.Date)} 前补正：{notice}");
        }, ct);
    }

    /// <summary>征求第三方意见: the clock pauses with the working days it had left.</summary>
    public async Task<InformationRequestView> StartConsultationAsync(StartThirdPartyConsultation request, Clerk clerk, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var thirdParty = Text(request.ThirdParty, "third_party", 2, 200, "请填写被征求意见的第三方（2–200 个字）", errors);
        await ThrowIfInvalidAsync(clerk, request.RequestNumber, errors, ct);
        return await RunAsync(clerk, request.RequestNumber, Received, "征求第三方意见", (row, now, today) =>
        {
            if (row.ConsultationStartedOn is not null)
            {
                throw Precondition("该申请已征求过第三方意见");
            }

            if (row.DueOn is { } dueOn && today > dueOn)
            {
                throw Precondition($"答复期限已于 {ChinaTime.Text(dueOn)} 届满，不能再暂停计时");
            }

            var remaining = clock.WorkingDaysLeft(today, row.DueOn!.Value);
            var consultationDue = clock.ConsultationDue(today);
            return Step(
                row with
                {
                    State = nameof(RequestState.Consulting),
                    ThirdParty = thirdParty,
                    ConsultationStartedOn = today,
                    ConsultationDueOn = consultationDue.Date,
                    RemainingWorkingDays = remaining,
                },
                RequestSteps.ConsultationStarted,
                $"征求第三方意见，期间不计入答复期限（第三方应于 {ChinaTime.Text(consultationDue.Date)} 前提出意见），尚余 {remaining} 个工作日");
        }, ct);
    }

    /// <summary>The consultation ends: the days left run again from today, or from the third party's deadline if earlier.</summary>
    public async Task<InformationRequestView> EndConsultationAsync(EndThirdPartyConsultation request, Clerk clerk, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var note = Text(request.Note, "note", 0, 1000, "说明不能超过 1000 个字", errors);
        await ThrowIfInvalidAsync(clerk, request.RequestNumber, errors, ct);
        return await RunAsync(clerk, request.RequestNumber, [RequestState.Consulting], "结束第三方意见征询", (row, now, today) =>
        {
            var due = clock.Resume(today, row.ConsultationDueOn!.Value, row.RemainingWorkingDays ?? 0);
            return Step(
                row with
                {
                    State = nameof(RequestState.Received),
                    RemainingWorkingDays = null,
                    DueOn = due.Date,
                    DueProvisional = due.Provisional ? 1 : 0,
                },
                RequestSteps.ConsultationEnded,
                $"恢复计时，应于 {ChinaTime.Text(due.Date)} 前答复" + (note.Length > 0 ? "。" + note : ""));
        }, ct);
    }

    /// <summary>延期: 20 more working days, once, with the approving head named; not after the period has run out.</summary>
    public async Task<InformationRequestView> ExtendAsync(ExtendInformationRequest request, Clerk clerk, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var approvedBy = Text(request.ApprovedBy, "approved_by", 2, 50, "请填写批准延期的负责人（2–50 个字）", errors);
        var reason = Text(request.Reason, "reason", 2, 1000, "请填写延期理由（2–1000 个字）", errors);
        await ThrowIfInvalidAsync(clerk, request.RequestNumber, errors, ct);
        return await RunAsync(clerk, request.RequestNumber, [RequestState.Received, RequestState.Consulting], "延长答复期限", (row, now, today) =>
        {
            if (row.Extended != 0)
            {
                throw Precondition("答复期限只能延长一次，已经延长过");
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
                    throw Precondition($"答复期限已于 {ChinaTime.Text(row.DueOn)} 届满，不能再延长");
                }

                var due = clock.Extend(row.DueOn.Value);
                changed = row with { DueOn = due.Date, DueProvisional = row.DueProvisional != 0 || due.Provisional ? 1 : 0 };
                detail = $"经 {approvedBy} 批准延长 {clock.Limits.ExtensionDays} 个工作日，应于 {ChinaTime.Text(due.Date)} 前答复：{reason}";
            }

            return Step(changed with { Extended = 1, ExtensionApprovedBy = approvedBy }, RequestSteps.Extended, detail);
        }, ct);
    }

    /// <summary>答复 with exactly one outcome (a row of the annual report); every outcome but 予以公开 states its grounds.</summary>
    public async Task<InformationRequestView> AnswerAsync(AnswerInformationRequest request, Clerk clerk, CancellationToken ct)
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

        var reason = Text(request.Reason, "reason", outcome == RequestOutcome.Disclosed ? 0 : 2, 2000,
            "请写明答复的理由和依据（不予公开、无法提供、不予处理等须说明理由，不超过 2000 个字）", errors);
        await ThrowIfInvalidAsync(clerk, request.RequestNumber, errors, ct);
        return await RunAsync(clerk, request.RequestNumber, Received, "作出答复", (row, now, today) =>
        {
            if (outcome == RequestOutcome.UnavailableStillUnclear && row.CorrectedOn is null)
            {
                throw Precondition("“补正后申请内容仍不明确”只适用于已补正的申请");
            }

            var late = row.DueOn is { } dueOn && today > dueOn;
            return Step(
                row with
                {
                    State = nameof(RequestState.Answered),
                    Outcome = outcome.ToString(),
                    OutcomeReason = reason,
                    AnsweredOn = today,
                    AnsweredAt = now,
                    AnsweredLate = late ? 1 : 0,
                },
                RequestSteps.Answered,
                RequestTerms.Label(outcome) + (reason.Length > 0 ? "。" + reason : "") + (late ? "（超过法定期限答复）" : ""));
        }, ct);
    }

    /// <summary>逾期不补正: only once the requester's time to correct has run out.</summary>
    public async Task<InformationRequestView> CloseOverdueCorrectionAsync(CloseOverdueCorrectionRequest request, Clerk clerk, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var note = Text(request.Note, "note", 0, 1000, "说明不能超过 1000 个字", errors);
        await ThrowIfInvalidAsync(clerk, request.RequestNumber, errors, ct);
        return await RunAsync(clerk, request.RequestNumber, [RequestState.AwaitingCorrection], "按逾期未补正办结", (row, now, today) =>
        {
            if (today <= row.CorrectionDueOn!.Value)
            {
                throw Precondition($"补正期限至 {ChinaTime.Text(row.CorrectionDueOn)}，期满后申请人仍未补正的，才能不再处理");
            }

            return Step(
                row with
                {
                    State = nameof(RequestState.Answered),
                    Outcome = nameof(RequestOutcome.OtherOverdueCorrection),
                    OutcomeReason = note,
                    AnsweredOn = today,
                    AnsweredAt = now,
                    AnsweredLate = 0,
                },
                RequestSteps.ClosedOverdueCorrection,
                $"申请人未在 {ChinaTime.Text(row.CorrectionDueOn)} 前补正，视为放弃申请，不再处理" + (note.Length > 0 ? "。" + note : ""));
        }, ct);
    }

    /// <summary>Records a reconsideration or a lawsuit about the request, pending or with its result.</summary>
    public async Task<InformationRequestView> RecordAppealAsync(RecordInformationAppeal request, Clerk clerk, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var today = ChinaTime.Today(time);
        if (!RequestTerms.TryParse<AppealKind>(request.Kind, out var kind))
        {
            errors.Add("kind", "请选择行政复议或行政诉讼（直接起诉 / 复议后起诉）");
        }

        if (!ChinaTime.TryParseDate(request.FiledOn, out var filedOn) || filedOn > today)
        {
            errors.Add("filed_on", "请填写申请复议或起诉的日期（yyyy-MM-dd，不晚于今天）");
        }

        var result = AppealResult.Pending;
        if (request.Result.Trim().Length > 0 && !RequestTerms.TryParse(request.Result, out result))
        {
            errors.Add("result", "结果应为维持、纠正、其他或尚未审结");
        }

        var concludedOn = ConcludedOn(request.ConcludedOn, result, filedOn, today, errors);
        var note = Text(request.Note, "note", 0, 1000, "说明不能超过 1000 个字", errors);
        await ThrowIfInvalidAsync(clerk, request.RequestNumber, errors, ct);
        return await RunAsync(clerk, request.RequestNumber, RequestTerms.OpenStates.Append(RequestState.Answered).ToArray(), "登记复议或诉讼",
            async (session, row, now, _) =>
            {
                if (filedOn < row.FiledOn)
                {
                    throw Precondition($"复议或起诉日期不能早于申请日期 {ChinaTime.Text(row.FiledOn)}");
                }

                if (kind == AppealKind.LitigationAfterReconsideration)
                {
                    var appeals = await session.QueryAsync<AppealRow>(RequestStore.AppealsSql, new { row.Id });
                    if (!appeals.Any(a => a.Kind == nameof(AppealKind.Reconsideration) && a.Result != nameof(AppealResult.Pending)))
                    {
                        throw Precondition("“复议后起诉”须先登记该申请已审结的行政复议");
                    }
                }

                await session.ExecuteAsync(RequestStore.InsertAppealSql, new
                {
                    Id = Guid.NewGuid(),
                    RequestId = row.Id,
                    row.CountyCode,
                    Kind = kind.ToString(),
                    FiledOn = filedOn,
                    Result = result.ToString(),
                    ConcludedOn = concludedOn,
                    Note = note.Length > 0 ? note : null,
                    RecordedBy = clerk.Id,
                    RecordedAt = now,
                });
                return Step(row, RequestSteps.AppealRecorded,
                    $"{RequestTerms.Label(kind)}，{ChinaTime.Text(filedOn)} 提起，{RequestTerms.Label(result)}" +
                    (concludedOn is { } d ? $"（{ChinaTime.Text(d)} 审结）" : ""));
            }, ct);
    }

    /// <summary>The result of a pending reconsideration or lawsuit (once).</summary>
    public async Task<InformationRequestView> RecordAppealOutcomeAsync(RecordInformationAppealOutcome request, Clerk clerk, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var today = ChinaTime.Today(time);
        if (!Guid.TryParse(request.AppealId, out var appealId))
        {
            errors.Add("appeal_id", "请指明复议或诉讼记录");
        }

        if (!RequestTerms.TryParse<AppealResult>(request.Result, out var result) || result == AppealResult.Pending)
        {
            errors.Add("result", "请选择审结结果：维持、纠正或其他");
        }

        var note = Text(request.Note, "note", 0, 1000, "说明不能超过 1000 个字", errors);
        if (!ChinaTime.TryParseDate(request.ConcludedOn, out var concludedOn) || concludedOn > today)
        {
            errors.Add("concluded_on", "请填写审结日期（yyyy-MM-dd，不晚于今天）");
        }

        await ThrowIfInvalidAsync(clerk, request.RequestNumber, errors, ct);
        return await RunAsync(clerk, request.RequestNumber, RequestTerms.OpenStates.Append(RequestState.Answered).ToArray(), "登记复议或诉讼结果",
            async (session, row, now, _) =>
            {
                var appeal = (await session.QueryAsync<AppealRow>(RequestStore.AppealsSql, new { row.Id })).FirstOrDefault(a => a.Id == appealId)
                    ?? throw new RpcException(new Status(StatusCode.NotFound, "该申请没有这条复议或诉讼记录"));
                if (appeal.Result != nameof(AppealResult.Pending))
                {
                    throw Precondition($"该{RequestTerms.Label(Enum.Parse<AppealKind>(appeal.Kind))}已登记结果（{RequestTerms.Label(Enum.Parse<AppealResult>(appeal.Result))}）");
                }

                if (concludedOn < appeal.FiledOn)
                {
                    new FieldErrors().Add("concluded_on", "审结日期不能早于提起日期 " + ChinaTime.Text(appeal.FiledOn)).ThrowIfAny();
                }

                await session.ExecuteAsync(RequestStore.ConcludeAppealSql, new
                {
                    Id = appealId,
                    RequestId = row.Id,
                    Result = result.ToString(),
                    ConcludedOn = concludedOn,
                    Note = note.Length > 0 ? note : appeal.Note,
                    Pending = nameof(AppealResult.Pending),
                });
                return Step(row, RequestSteps.AppealConcluded,
                    $"{RequestTerms.Label(Enum.Parse<AppealKind>(appeal.Kind))}于 {ChinaTime.Text(concludedOn)} 审结：{RequestTerms.Label(result)}");
            }, ct);
    }

    /// <summary>
    /// Permission before validation: field errors about another county's request are answered as a well-formed
    /// request would be (PERMISSION_DENIED), so they tell another county's clerk nothing.
    /// </summary>
    private async Task ThrowIfInvalidAsync(Clerk clerk, string number, FieldErrors errors, CancellationToken ct)
    {
        if (errors.Any && !string.IsNullOrWhiteSpace(number))
        {
            await using var session = await database.BeginAsync(ct);
            await DeskQueries.LoadForClerkAsync(session, number, clerk);
        }

        errors.ThrowIfAny();
    }

    private Task<InformationRequestView> RunAsync(
        Clerk clerk, string number, IReadOnlyCollection<RequestState> states, string actionLabel,
        Func<RequestRow, DateTimeOffset, DateOnly, StepResult> body, CancellationToken ct) =>
        RunAsync(clerk, number, states, actionLabel, (_, row, now, today) => Task.FromResult(body(row, now, today)), ct);

    private async Task<InformationRequestView> RunAsync(
        Clerk clerk, string number, IReadOnlyCollection<RequestState> states, string actionLabel,
        Func<DbSession, RequestRow, DateTimeOffset, DateOnly, Task<StepResult>> body, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(number))
        {
            new FieldErrors().Add("request_number", "请指明申请编号").ThrowIfAny();
        }

        await using var session = await database.BeginAsync(ct);
        var row = await DeskQueries.LoadForClerkAsync(session, number, clerk);
        if (!states.Contains(row.StateValue))
        {
            throw Precondition($"该申请当前为“{RequestTerms.Label(row.StateValue)}”，不能{actionLabel}");
        }

        var now = time.GetUtcNow();
        var step = await body(session, row, now, ChinaTime.DateOf(now));
        await RequestStore.UpdateAsync(session, step.Changed);
        await RequestStore.AddStepAsync(session, row.Id, row.Version + 1, now, clerk.Id, clerk.Name, step.Action, step.Detail);
        var updated = (await RequestStore.FindAsync(session, row.RequestNumber))!;
        var (steps, appeals) = await RequestStore.DetailsAsync(session, row.Id);
        await session.CommitAsync(ct);
        return RequestViews.ToView(updated, steps, appeals, counties, forClerk: true);
    }

    private static StepResult Step(RequestRow changed, string action, string detail) => new(changed, action, detail);

    private static RpcException Precondition(string message) => new(new Status(StatusCode.FailedPrecondition, message));

    private static string Text(string value, string field, int min, int max, string message, FieldErrors errors)
    {
        var text = value.Trim();
        if (text.Length < min || text.Length > max)
        {
            errors.Add(field, message);
        }

        return text;
    }

    private static DateOnly? ConcludedOn(string text, AppealResult result, DateOnly filedOn, DateOnly today, FieldErrors errors)
    {
        if (result == AppealResult.Pending)
        {
            if (text.Trim().Length > 0)
            {
                errors.Add("concluded_on", "尚未审结的不填审结日期");
            }

            return null;
        }

        if (!ChinaTime.TryParseDate(text, out var day) || day > today || day < filedOn)
        {
            errors.Add("concluded_on", "请填写审结日期（yyyy-MM-dd，不早于提起日期、不晚于今天）");
            return null;
        }

        return day;
    }

    private sealed record StepResult(RequestRow Changed, string Action, string Detail);
}
