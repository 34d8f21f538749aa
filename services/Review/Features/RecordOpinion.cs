using Permits.Contracts.Licensing;
using Permits.Contracts.Review;
using Permits.Contracts.Review.V1;
using Permits.Review.Domain;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Steps;

namespace Permits.Review.Features;

/// <summary>审核: the reviewer's numbered opinion, recommending approval or denial to the approving head.</summary>
public sealed class RecordOpinion(CaseAction action, CountyDirectory counties, TimeProvider time)
{
    public const string Approve = "Approve";
    public const string Deny = "Deny";

    private const string InsertSql = """
        INSERT INTO review_opinions (document_number, case_id, reviewer, reviewer_name, recommendation, opinion, recorded_at)
        VALUES (@Document, @CaseId, @Reviewer, @ReviewerName, @Recommendation, @Opinion, @RecordedAt)
        """;

    private const string UpdateSql = """
        UPDATE review_cases SET recommendation = @Recommendation, version = version + 1
        WHERE id = @Id AND version = @Version
        """;

    public async Task<Case> HandleAsync(RecordOpinionRequest request, Officer officer, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var caseId = CaseAction.Validate(request.Action, errors, "action.");
        var recommendation = request.Recommendation.Trim();
        if (recommendation is not (Approve or Deny))
        {
            errors.Add("recommendation", "请选择审核建议：准予（Approve）或不予（Deny）许可");
        }

        var opinion = request.Opinion.Trim();
        if (opinion.Length is 0 or > 2000)
        {
            errors.Add("opinion", "请填写审核意见（不超过 2000 个字）");
        }

        await action.ThrowIfInvalidAsync(officer, caseId, ReviewSteps.RecordOpinion, errors, cancellationToken);
        return await action.IssueAsync(officer, caseId, ReviewSteps.RecordOpinion, [CaseStage.UnderReview], async (session, row) =>
        {
            var now = time.GetUtcNow();
            var county = counties.Get(row.CountyCode);
            CaseAction.EnsureUpdated(await session.ExecuteAsync(UpdateSql, new
            {
                Id = caseId,
                row.Version,
                Recommendation = recommendation,
            }));
            return new DocumentStep(county, DocumentNumbers.Opinion, now, row.Stage, async document =>
            {
                await session.ExecuteAsync(InsertSql, new
                {
                    Document = document,
                    CaseId = caseId,
                    Reviewer = officer.Id,
                    ReviewerName = officer.Name,
                    Recommendation = recommendation,
                    Opinion = opinion,
                    RecordedAt = now,
                });
                await session.PublishAsync(new ReviewOpinionRecorded(
                    row.ApplicationId, caseId, county.Code, document, recommendation, opinion, officer.Id, now));
                // Process information (过程性信息) is not disclosed in content: the record says only that review happened.
                await session.DiscloseAsync(ReviewDisclosures.For(
                    ReviewDisclosures.ReviewOpinionRecorded, document, row, county, now,
                    $"{county.Authority}完成{RequestTypes.Matter(row.RequestType)}申请的审核",
                    LicensingDisclosure.ForCase(row.ApplicationNumber, row.RequestType).With("审核意见书编号", document).Fields));
                return $"审核意见 {document}：建议{(recommendation == Approve ? "准予" : "不予")}许可。{opinion}";
            });
        }, cancellationToken);
    }
}
