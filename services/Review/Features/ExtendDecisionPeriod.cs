using Permits.Contracts.Licensing;
using Permits.Contracts.Review;
using Permits.Contracts.Review.V1;
using Permits.Review.Domain;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Steps;

namespace Permits.Review.Features;

/// <summary>延期: an approving head extends the decision period by 10 working days, once, with the extension notice.</summary>
public sealed class ExtendDecisionPeriod(CaseAction action, CountyDirectory counties, LegalClock clock, TimeProvider time)
{
    /// <summary>The period may be extended once (行政许可法 Art. 42): a second extension, or a request for one, is refused.</summary>
    public const string AlreadyExtended = "本案审批期限已延长过一次，不能再次延长";

    private const string UpdateSql = """
        UPDATE review_cases SET version = version + 1 WHERE id = @Id AND version = @Version
        """;

    public async Task<Case> HandleAsync(CaseActionRequest request, Officer officer, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var (caseId, reason) = CaseAction.ValidateReasoned(request, errors, "请写明延长审批期限的理由");

        await action.ThrowIfInvalidAsync(officer, caseId, ReviewSteps.Extend, errors, cancellationToken);
        return await action.IssueAsync(officer, caseId, ReviewSteps.Extend, [CaseStage.UnderReview], async (session, row) =>
        {
            StepRunner.Require(row.DecisionExtended == 0, AlreadyExtended);
            var now = time.GetUtcNow();
            var county = counties.Get(row.CountyCode);
            var extended = clock.Extend(row.Clock);
            CaseAction.EnsureUpdated(await session.ExecuteAsync(UpdateSql, new { Id = caseId, row.Version }));
            await CaseClock.SaveAsync(session, clock, caseId, row.CountyCode, extended, now);
            return new DocumentStep(county, DocumentNumbers.Extension, now, row.Stage, async document =>
            {
                await session.PublishAsync(new DecisionPeriodExtended(
                    row.ApplicationId, caseId, county.Code, document, reason, officer.Id, now, extended.DueBy, extended.Provisional));
                await session.DiscloseAsync(ReviewDisclosures.For(
                    ReviewDisclosures.DecisionPeriodExtended, document, row, county, now,
                    $"{county.Authority}延长{RequestTypes.Matter(row.RequestType)}审批期限（{document}）",
                    LicensingDisclosure.ForCase(row.ApplicationNumber, row.RequestType)
                        .With("延长审批期限告知书文号", document)
                        .With("延长后办结期限", ChinaTime.Text(extended.DueBy))
                        .Fields));
                return $"延长审批期限告知书 {document}，审批期限延至 {ChinaTime.Text(extended.DueBy)}：{reason}";
            });
        }, cancellationToken);
    }
}
