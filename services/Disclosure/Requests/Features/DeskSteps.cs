using Permits.Contracts.Disclosure.V1;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Steps;

namespace Permits.Disclosure.Requests;

/// <summary>
/// One step at the desk: who may take it (an <see cref="OfficerStep"/> of the disclosure clerk, whose code is also
/// how the request's own history names it) and the states of the request it may be taken in.
/// </summary>
public sealed record DeskStep(OfficerStep Officer, IReadOnlyCollection<RequestState> From)
{
    private static readonly RequestState[] OpenOrAnswered = [.. RequestTerms.OpenStates, RequestState.Answered];

    public static readonly DeskStep RequestCorrection = Of(RequestSteps.CorrectionRequested, "出具补正告知书", RequestState.Received);
    public static readonly DeskStep CloseOverdueCorrection = Of(RequestSteps.ClosedOverdueCorrection, "按逾期未补正办结", RequestState.AwaitingCorrection);
    public static readonly DeskStep StartConsultation = Of(RequestSteps.ConsultationStarted, "征求第三方意见", RequestState.Received);
    public static readonly DeskStep EndConsultation = Of(RequestSteps.ConsultationEnded, "结束第三方意见征询", RequestState.Consulting);
    public static readonly DeskStep Extend = Of(RequestSteps.Extended, "延长答复期限", RequestState.Received, RequestState.Consulting);
    public static readonly DeskStep Answer = Of(RequestSteps.Answered, "作出答复", RequestState.Received);
    public static readonly DeskStep RecordAppeal = Of(RequestSteps.AppealRecorded, "登记复议或诉讼", OpenOrAnswered);
    public static readonly DeskStep RecordAppealOutcome = Of(RequestSteps.AppealConcluded, "登记复议或诉讼结果", OpenOrAnswered);

    private static DeskStep Of(string code, string label, params RequestState[] from) =>
        new(new OfficerStep(code, label, DisclosureSteps.ClerkRole), from);
}

/// <summary>What a desk step changes on the request, and what its history (and the officer audit) say of it.</summary>
public sealed record DeskChange(RequestRow Changed, string Detail);

/// <summary>
/// Runs the clerk's steps on a request through the one step mechanism (<see cref="StepRunner{TService}"/>): the
/// request is loaded, the clerk's county and role checked (a refusal is audited and changes nothing), the step's own
/// checks and change run, the request is written under its version with the step in its history, and the officer
/// audit records the step, all in one transaction.
/// </summary>
public sealed class DeskSteps(StepRunner<DisclosureModule> steps, CountyDirectory counties, TimeProvider time)
{
    private const string CountySql = "SELECT county_code FROM disclosure_requests WHERE request_number = @Number";

    /// <summary>
    /// Permission before validation: field errors about another county's request are answered as a well-formed
    /// request would be (PERMISSION_DENIED), so they tell another county's clerk nothing.
    /// </summary>
    public Task ThrowIfInvalidAsync(Officer clerk, DeskStep step, string number, FieldErrors errors, CancellationToken ct) =>
        steps.ThrowIfInvalidAsync(clerk, step.Officer, string.IsNullOrWhiteSpace(number) ? null : Target(number), errors, ct);

    public Task<InformationRequestView> RunAsync(
        Officer clerk, DeskStep step, string number, Func<RequestRow, DateTimeOffset, DateOnly, DeskChange> body, CancellationToken ct) =>
        RunAsync(clerk, step, number, (_, row, now, today) => Task.FromResult(body(row, now, today)), ct);

    public async Task<InformationRequestView> RunAsync(
        Officer clerk, DeskStep step, string number, Func<DbSession, RequestRow, DateTimeOffset, DateOnly, Task<DeskChange>> body,
        CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(number))
        {
            new FieldErrors().Add("request_number", "请指明申请编号").ThrowIfAny();
        }

        return await steps.RunAsync(clerk, step.Officer, Target(number), async (session, row) =>
        {
            StepRunner.Require(step.From.Contains(row.StateValue),
                $"该申请当前为“{RequestTerms.Label(row.StateValue)}”，不能{step.Officer.Label}");
            var now = time.GetUtcNow();
            var change = await body(session, row, now, ChinaTime.DateOf(now));
            await RequestStore.UpdateAsync(session, change.Changed);
            await RequestStore.AddStepAsync(session, row.Id, row.Version + 1, now, clerk.Id, clerk.Name, step.Officer.Code, change.Detail);
            var updated = (await RequestStore.FindAsync(session, row.RequestNumber))!;
            var (history, appeals) = await RequestStore.DetailsAsync(session, row.Id);
            return new StepResult<InformationRequestView>(
                RequestViews.ToView(updated, history, appeals, counties, forClerk: true), change.Detail);
        }, ct);
    }

    /// <summary>The request a step is on, by its number (as the requester and the audit write it: upper case).</summary>
    public static StepTarget<RequestRow> Target(string number)
    {
        var normalized = number.Trim().ToUpperInvariant();
        return StepTarget<RequestRow>.Sql(normalized, DisclosureSteps.RequestNoun, $"未找到申请 {number.Trim()}",
            RequestStore.LoadByNumberSql, CountySql, new { Number = normalized }, row => row.CountyCode);
    }

    /// <summary>The step cannot be taken in the state the request is in: FAILED_PRECONDITION.</summary>
    public static global::Grpc.Core.RpcException Precondition(string message) => StepRunner.Precondition(message);

    /// <summary>A trimmed text field of <paramref name="min"/>–<paramref name="max"/> characters, or a field error.</summary>
    public static string Text(string value, string field, int min, int max, string message, FieldErrors errors)
    {
        var text = value.Trim();
        if (text.Length < min || text.Length > max)
        {
            errors.Add(field, message);
        }

        return text;
    }

    /// <summary>A note after the step's own words: "。note", or nothing.</summary>
    public static string Then(string note) => note.Length > 0 ? "。" + note : "";
}
