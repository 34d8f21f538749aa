using Permits.Contracts.Disclosure;
using Permits.Contracts.Licensing;
using Permits.Contracts.Review;
using Permits.Contracts.Review.V1;
using Permits.Review.Domain;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Steps;

namespace Permits.Review.Features;

/// <summary>
/// 准予行政许可: the numbered decision; the 10-working-day service limit starts. The decision is published for 双公示
/// with the national field codes; a natural person's name is masked.
/// </summary>
public sealed class ApproveLicence(CaseAction action, CountyDirectory counties, LegalClock clock, TimeProvider time)
{
    private const string UpdateSql = """
        UPDATE review_cases
        SET stage = @Stage, decided_at = @DecidedAt, decided_by = @OfficerId, decision_document = @Document,
            version = version + 1
        WHERE id = @Id AND version = @Version
        """;

    public async Task<Case> HandleAsync(CaseActionRequest request, Officer officer, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var caseId = CaseAction.Validate(request, errors);
        await action.ThrowIfInvalidAsync(officer, caseId, ReviewSteps.Approve, errors, cancellationToken);
        return await action.RunAsync(officer, caseId, ReviewSteps.Approve, [CaseStage.UnderReview], async (session, row) =>
        {
            ReviewRequirements.EnsureReadyForDecision(row, "准予许可");
            var now = time.GetUtcNow();
            var today = ChinaTime.DateOf(now);
            var county = counties.Get(row.CountyCode);
            var document = await DocumentNumbers.NextAsync(session, county, DocumentNumbers.Approval, now);
            var service = clock.Decide(today);

            CaseAction.EnsureUpdated(await session.ExecuteAsync(UpdateSql, new
            {
                Id = caseId,
                row.Version,
                Stage = CaseStage.Approved,
                DecidedAt = now,
                OfficerId = officer.Id,
                Document = document,
            }));
            await CaseClock.SaveAsync(session, clock, caseId, row.CountyCode, service, now);
            await session.PublishAsync(new LicenceApproved(
                row.ApplicationId, caseId, row.ApplicationNumber, county.Code, row.HolderType, row.BusinessName,
                row.CreditCode, row.ResponsiblePerson, row.PremisesAddress, row.LeaseEndDate, document, officer.Id, now,
                service.DueBy));
            await session.DiscloseAsync(Disclosures.For(
                DisclosureKinds.LicenceApproved, row.ApplicationId, row.ApplicationNumber, county, now,
                $"{county.Authority}准予{RequestTypes.Matter(row.RequestType)}（{document}）",
                LicensingDisclosure.By(county)
                    .Holder(row.BusinessName, row.CreditCode ?? "", row.ResponsiblePerson)
                    .Decision("准予行政许可决定书", document, today)
                    .Content()
                    .Status(LicensingDisclosure.InForce)
                    .Fields));
            return $"准予行政许可，决定书 {document}，送达期限 {ChinaTime.Text(service.DueBy)}";
        }, cancellationToken);
    }
}
