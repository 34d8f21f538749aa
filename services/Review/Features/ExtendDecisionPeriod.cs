using Permits.Contracts.Licensing;
using Grpc.Core;
using Permits.Contracts.Review;
using Permits.Contracts.Review.V1;
using Permits.Review.Domain;
using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Review.Features;

/// <summary>延期: an approving head extends the decision period by 10 working days, once, with the extension notice.</summary>
public sealed class ExtendDecisionPeriod(CaseAction action, CountyDirectory counties, LegalClock clock, TimeProvider time)
{
    private const string UpdateSql = """
        UPDATE review_cases SET extension_document = @Document, version = version + 1
        WHERE id = @Id AND version = @Version
        """;

    public async Task<Case> HandleAsync(CaseActionRequest request, OfficerContext officer, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var caseId = CaseAction.Validate(request, errors);
        var reason = request.Note.Trim();
        if (reason.Length == 0)
        {
            errors.Add("note", "请写明延长审批期限的理由");
        }

        await action.ThrowIfInvalidAsync(officer, caseId, ReviewAction.Extend, errors, cancellationToken);
        return await action.RunAsync(officer, caseId, ReviewAction.Extend, [CaseStage.UnderReview], async (session, row) =>
        {
            if (row.DecisionExtended != 0)
            {
                throw new RpcException(new Status(StatusCode.FailedPrecondition, "本案审批期限已延长过一次，不能再次延长"));
            }

            var now = time.GetUtcNow();
            var county = counties.Get(row.CountyCode);
            var document = await DocumentNumbers.NextAsync(session, county, DocumentNumbers.Extension, ChinaTime.DateOf(now).Year);
            var extended = clock.Extend(row.Clock);
            CaseAction.EnsureUpdated(await session.ExecuteAsync(UpdateSql, new { Id = caseId, row.Version, Document = document }));
            await CaseClock.SaveAsync(session, clock, caseId, row.CountyCode, extended, now);
            await session.PublishAsync(new DecisionPeriodExtended(
                row.ApplicationId, caseId, county.Code, document, reason, officer.OfficerId, now, extended.DueBy, extended.Provisional));
            await session.DiscloseAsync(ReviewDisclosures.For(
                ReviewDisclosures.DecisionPeriodExtended, document, row.ApplicationId, row.ApplicationNumber, county, now,
                $"{county.Authority}延长{RequestTypes.Matter(row.RequestType)}审批期限（{document}）",
                new Dictionary<string, string>
                {
                    ["事项名称"] = RequestTypes.Matter(row.RequestType),
                    ["申请编号"] = row.ApplicationNumber,
                    ["延长审批期限告知书文号"] = document,
                    ["延长后办结期限"] = extended.DueBy.ToString("yyyy-MM-dd"),
                }));
            return $"延长审批期限告知书 {document}，审批期限延至 {extended.DueBy:yyyy-MM-dd}：{reason}";
        }, cancellationToken);
    }
}
