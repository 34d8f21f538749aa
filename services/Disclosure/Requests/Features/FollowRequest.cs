using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Permits.Contracts.Disclosure.V1;
using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Disclosure.Requests;

/// <summary>
/// The requester's side after filing, keyed by request number and query code: follow the request, and answer a
/// 补正 notice. A wrong number and a wrong code get the same NOT_FOUND, so neither can be probed alone.
/// </summary>
public sealed class FollowRequest(
    ServiceDatabase<DisclosureModule> database,
    CountyDirectory counties,
    RequestClock clock,
    TimeProvider time)
{
    private const string NotFoundMessage = "未找到该申请：请核对申请编号和查询码";

    public async Task<InformationRequestView> FollowAsync(FollowInformationRequest request, CancellationToken ct)
    {
        Validate(request.RequestNumber, request.QueryCode, new FieldErrors()).ThrowIfAny();
        await using var session = await database.BeginAsync(ct);
        var row = await FindAsync(session, request.RequestNumber, request.QueryCode);
        var (steps, appeals) = await RequestStore.DetailsAsync(session, row.Id);
        return RequestViews.ToView(row, steps, appeals, counties, forClerk: false);
    }

    /// <summary>The corrected request: the 20 working days start afresh from today (条例 Art. 31).</summary>
    public async Task<InformationRequestView> SubmitCorrectionAsync(SubmitInformationCorrection request, CancellationToken ct)
    {
        var errors = Validate(request.RequestNumber, request.QueryCode, new FieldErrors());
        var description = request.Description.Trim();
        if (description.Length < 5 || description.Length > 4000)
        {
            errors.Add("description", "请按补正告知书的要求重新描述所需政府信息（5–4000 个字）");
        }

        errors.ThrowIfAny();
        await using var session = await database.BeginAsync(ct);
        var row = await FindAsync(session, request.RequestNumber, request.QueryCode);
        if (row.StateValue != RequestState.AwaitingCorrection)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition,
                $"该申请当前为“{RequestTerms.Label(row.StateValue)}”，无需补正"));
        }

        var now = time.GetUtcNow();
        var today = ChinaTime.DateOf(now);
        if (row.CorrectionDueOn is { } correctionDue && today > correctionDue)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition,
                $"补正期限已于 {ChinaTime.Text(correctionDue)} 届满，请重新提出申请"));
        }

        var due = clock.AnswerDue(today);
        var changed = row with
        {
            State = nameof(RequestState.Received),
            Description = description,
            CorrectedOn = today,
            ClockStartedOn = today,
            DueOn = due.Date,
            DueProvisional = due.Provisional ? 1 : 0,
        };
        await RequestStore.UpdateAsync(session, changed);
        await RequestStore.AddStepAsync(session, row.Id, row.Version + 1, now, RequestSteps.RequesterActor, "申请人", RequestSteps.Corrected,
            $"收到补正后的申请，答复期限重新计算，应于 {ChinaTime.Text(due.Date)} 前答复");
        var updated = (await RequestStore.FindAsync(session, row.RequestNumber))!;
        var (steps, appeals) = await RequestStore.DetailsAsync(session, row.Id);
        await session.CommitAsync(ct);
        return RequestViews.ToView(updated, steps, appeals, counties, forClerk: false);
    }

    private static FieldErrors Validate(string number, string code, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(number) || number.Trim().Length > 40)
        {
            errors.Add("request_number", "请填写申请编号");
        }

        if (string.IsNullOrWhiteSpace(code) || code.Trim().Length > 16)
        {
            errors.Add("query_code", "请填写提交申请时获得的查询码");
        }

        return errors;
    }

    private static async Task<RequestRow> FindAsync(DbSession session, string number, string code)
    {
        var row = await RequestStore.FindAsync(session, number.Trim().ToUpperInvariant());
        var given = Encoding.UTF8.GetBytes(code.Trim().ToUpperInvariant());
        var expected = Encoding.UTF8.GetBytes(row?.QueryCode ?? "");
        if (row is null || !CryptographicOperations.FixedTimeEquals(given, expected))
        {
            throw new RpcException(new Status(StatusCode.NotFound, NotFoundMessage));
        }

        return row;
    }
}
