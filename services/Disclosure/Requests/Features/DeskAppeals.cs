using Grpc.Core;
using Permits.Contracts.Disclosure.V1;
using Permits.Shared.Domain;
using Permits.Shared.Steps;

namespace Permits.Disclosure.Requests;

/// <summary>Reconsiderations and lawsuits about a request (行政复议、行政诉讼): recorded pending or with their result, and concluded once.</summary>
public sealed class DeskAppeals(DeskSteps desk, TimeProvider time)
{
    /// <summary>Records a reconsideration or a lawsuit about the request, pending or with its result.</summary>
    public async Task<InformationRequestView> RecordAsync(RecordInformationAppeal request, Officer clerk, CancellationToken ct)
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
        var note = DeskSteps.Text(request.Note, "note", 0, 1000, "说明不能超过 1000 个字", errors);
        await desk.ThrowIfInvalidAsync(clerk, DeskStep.RecordAppeal, request.RequestNumber, errors, ct);
        return await desk.RunAsync(clerk, DeskStep.RecordAppeal, request.RequestNumber, async (session, row, now, _) =>
        {
            if (filedOn < row.FiledOn)
            {
                throw DeskSteps.Precondition($"复议或起诉日期不能早于申请日期 {ChinaTime.Text(row.FiledOn)}");
            }

            if (kind == AppealKind.LitigationAfterReconsideration)
            {
                var appeals = await session.QueryAsync<AppealRow>(RequestStore.AppealsSql, new { row.Id });
                if (!appeals.Any(a => a.Kind == nameof(AppealKind.Reconsideration) && a.Result != nameof(AppealResult.Pending)))
                {
                    throw DeskSteps.Precondition("“复议后起诉”须先登记该申请已审结的行政复议");
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
            return new DeskChange(row,
                $"{RequestTerms.Label(kind)}，{ChinaTime.Text(filedOn)} 提起，{RequestTerms.Label(result)}" +
                (concludedOn is { } d ? $"（{ChinaTime.Text(d)} 审结）" : ""));
        }, ct);
    }

    /// <summary>The result of a pending reconsideration or lawsuit (once).</summary>
    public async Task<InformationRequestView> RecordOutcomeAsync(RecordInformationAppealOutcome request, Officer clerk, CancellationToken ct)
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

        var note = DeskSteps.Text(request.Note, "note", 0, 1000, "说明不能超过 1000 个字", errors);
        if (!ChinaTime.TryParseDate(request.ConcludedOn, out var concludedOn) || concludedOn > today)
        {
            errors.Add("concluded_on", "请填写审结日期（yyyy-MM-dd，不晚于今天）");
        }

        await desk.ThrowIfInvalidAsync(clerk, DeskStep.RecordAppealOutcome, request.RequestNumber, errors, ct);
        return await desk.RunAsync(clerk, DeskStep.RecordAppealOutcome, request.RequestNumber, async (session, row, now, _) =>
        {
            var appeal = (await session.QueryAsync<AppealRow>(RequestStore.AppealsSql, new { row.Id })).FirstOrDefault(a => a.Id == appealId)
                ?? throw new RpcException(new Status(StatusCode.NotFound, "该申请没有这条复议或诉讼记录"));
            var appealKind = RequestTerms.Label(Enum.Parse<AppealKind>(appeal.Kind));
            if (appeal.Result != nameof(AppealResult.Pending))
            {
                throw DeskSteps.Precondition($"该{appealKind}已登记结果（{RequestTerms.Label(Enum.Parse<AppealResult>(appeal.Result))}）");
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
            return new DeskChange(row, $"{appealKind}于 {ChinaTime.Text(concludedOn)} 审结：{RequestTerms.Label(result)}");
        }, ct);
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
}
