using Permits.Contracts.Licensing;
using Permits.Contracts.Disclosure;
using Permits.Contracts.Review;
using Permits.Contracts.Review.V1;
using Permits.Review.Domain;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Shared.Steps;

namespace Permits.Review.Features;

/// <summary>受理: issues the numbered acceptance notice and starts the 20-working-day decision clock.</summary>
public sealed class AcceptApplication(CaseAction action, CountyDirectory counties, LegalClock clock, TimeProvider time)
{
    private const string UpdateSql = """
        UPDATE review_cases
        SET stage = @Stage, accepted_at = @AcceptedAt, accepted_by = @OfficerId, deemed_accepted = @Deemed,
            promised_due_by = @PromisedDueBy, version = version + 1
        WHERE id = @Id AND version = @Version
        """;

    public async Task<Case> HandleAsync(CaseActionRequest request, Officer officer, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var caseId = CaseAction.Validate(request, errors);
        await action.ThrowIfInvalidAsync(officer, caseId, ReviewSteps.Accept, errors, cancellationToken);
        return await action.IssueAsync(officer, caseId, ReviewSteps.Accept, [CaseStage.AwaitingAcceptance], async (session, row) =>
        {
            var now = time.GetUtcNow();
            var accepted = clock.Accept(ChinaTime.DateOf(now));
            return await AcceptAsync(session, counties, clock, row, accepted, officer.Id, now, deemed: false);
        }, cancellationToken);
    }

    /// <summary>
    /// Acceptance by an officer or, when the 5 days passed unanswered, deemed by law (the timer calls this): the case
    /// accepted and its clock started; the numbered notice, its message and disclosure are what it answers
    /// (<see cref="CaseAction.NumberAsync"/> numbers them), with the notice's number as the detail.
    /// </summary>
    public static async Task<DocumentStep> AcceptAsync(
        DbSession session, CountyDirectory counties, LegalClock clock, CaseRow row, ClockState decisionClock,
        string officerId, DateTimeOffset now, bool deemed)
    {
        var county = await CountyReviewSettings.CountyAsync(session.Connection, session.Transaction, counties.Get(row.CountyCode));
        var promised = clock.Promised(decisionClock, county);
        CaseAction.EnsureUpdated(await session.ExecuteAsync(UpdateSql, new
        {
            row.Id,
            row.Version,
            Stage = CaseStage.UnderReview,
            AcceptedAt = now,
            OfficerId = officerId,
            Deemed = deemed ? 1 : 0,
            PromisedDueBy = promised?.Date,
        }));
        await CaseClock.SaveAsync(session, clock, row.Id, row.CountyCode, decisionClock, now);
        return new DocumentStep(county, DocumentNumbers.Acceptance, now, CaseStage.UnderReview, async document =>
        {
            await session.PublishAsync(new ApplicationAccepted(
                row.ApplicationId, row.Id, county.Code, document, officerId, now, decisionClock.DueBy, decisionClock.Provisional)
            {
                PromisedDecisionDueBy = promised?.Date,
            });
            await session.DiscloseAsync(Disclosures.For(
                DisclosureKinds.ApplicationAccepted, row.ApplicationId, row.ApplicationNumber, county, now,
                deemed ? $"{county.Authority}逾期未作处理，{RequestTypes.Matter(row.RequestType)}申请自收到之日起视为受理" : $"{county.Authority}受理{RequestTypes.Matter(row.RequestType)}申请",
                LicensingDisclosure.ForCase(row.ApplicationNumber, row.RequestType)
                    .With("受理文书号", document)
                    .With("法定办结期限", ChinaTime.Text(decisionClock.DueBy))
                    .Fields));
            return $"受理，受理通知书 {document}，审批期限 {ChinaTime.Text(decisionClock.DueBy)}";
        });
    }
}
