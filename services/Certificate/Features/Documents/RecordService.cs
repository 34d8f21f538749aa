using Grpc.Core;
using Permits.Contracts.Certificate.V1;
using Permits.Contracts.Documents;
using Permits.Shared.Domain;
using Permits.Shared.Security;
using Permits.Shared.Steps;
using Permits.Certificate.Documents;

namespace Permits.Certificate.Features.Documents;

/// <summary>
/// An officer of the county records that a decision was served by post (邮寄送达) or handed over at the hall (直接送达),
/// with when and who signed for it; the counter (受理) or the head (审批). Once per decision: the first service
/// counts. Publishes DocumentServed and issues the 送达回证 (<see cref="ServeDocument"/>), audited as an officer step.
/// </summary>
public sealed class RecordService(StepRunner<CertificateModule> steps, ServeDocument serve, CountyDirectory counties, TimeProvider time)
{
    public static readonly OfficerStep Step = new("RecordService", "送达登记", [PermitsRoles.Clerk, PermitsRoles.Head]);

    public async Task<OfficialDocument> HandleAsync(RecordServiceRequest request, Officer officer, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var number = request.DocumentNumber.Trim();
        if (number.Length == 0)
        {
            errors.Add("document_number", "请填写文书编号");
        }

        ServiceMethod? method = request.Method switch
        {
            DocumentServiceMethod.Post => ServiceMethod.Post,
            DocumentServiceMethod.Hall => ServiceMethod.Hall,
            _ => null,
        };
        if (method is null)
        {
            errors.Add("method", "请选择送达方式：邮寄送达或直接送达");
        }

        var servedAt = Moment(request.ServedAt);
        if (servedAt is null)
        {
            errors.Add("served_at", "请填写送达时间");
        }
        else if (servedAt > time.GetUtcNow().AddMinutes(5))
        {
            errors.Add("served_at", "送达时间不能晚于现在");
        }

        var recipient = request.Recipient.Trim();
        if (recipient.Length == 0)
        {
            errors.Add("recipient", "请填写签收人（受送达人或代收人）");
        }
        else if (recipient.Length > 50)
        {
            errors.Add("recipient", "签收人不能超过 50 个字");
        }

        else if (servedAt < time.GetUtcNow().AddYears(-1))
        {
            errors.Add("served_at", "送达时间不能早于一年前");
        }

        var target = StepTarget<DocumentRow>.Sql(
            number, "该文书", "未找到该文书", DocumentRecords.ByNumberSql, DocumentRecords.CountyByNumberSql, new { Number = number }, r => r.CountyCode);
        await steps.ThrowIfInvalidAsync(officer, Step, number.Length > 0 ? target : null, errors, cancellationToken);
        return await steps.RunAsync(officer, Step, target, async (session, row) =>
        {
            StepRunner.Require(row.Type.IsDecision, $"{row.Type.Title}不是须送达的决定书，无需登记送达");
            StepRunner.Require(!row.Served, row.ServedAt is { } at
                ? $"该决定书已于{DocumentDates.Moment(at)}{DocumentTexts.MethodLabel(Enum.Parse<ServiceMethod>(row.ServiceMethod!))}，不能重复登记"
                : "");
            StepRunner.Require(servedAt >= row.IssuedAt, "送达时间不能早于决定书的制发时间");
            var county = await CountyHalls.InForceAsync(session, counties.Get(row.CountyCode));
            var how = method!.Value;
            await serve.HandleAsync(
                session, row, how, servedAt!.Value, recipient, officer.Id, officer.Label,
                how == ServiceMethod.Hall ? county.ServiceHallAddress : "申请人指定的收件地址");
            var after = await session.QuerySingleOrDefaultAsync<DocumentRow>(DocumentRecords.ByNumberSql, new { Number = number })
                        ?? throw new RpcException(new Status(StatusCode.Internal, "送达登记后未能读取文书"));
            return new StepResult<OfficialDocument>(
                after.ToMessage(), $"{row.Type.Title} {row.Number} {DocumentTexts.MethodLabel(how)}，签收人 {recipient}");
        }, cancellationToken);
    }

    /// <summary>The moment given, or null when none or one no calendar has (a timestamp out of range).</summary>
    private static DateTimeOffset? Moment(Google.Protobuf.WellKnownTypes.Timestamp? at)
    {
        try
        {
            return at?.ToDateTimeOffset();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
