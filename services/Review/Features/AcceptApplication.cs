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
        SET stage = @Stage, accepted_at = @AcceptedAt, accepted_by = @OfficerId, acceptance_document = @Document,
            version = version + 1
        WHERE id = @Id AND version = @Version
        """;

    private const string PromiseSql = "UPDATE review_cases SET promised_due_by = @PromisedDueBy WHERE id = @Id";

    public async Task<Case> HandleAsync(CaseActionRequest request, Officer officer, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var caseId = CaseAction.Validate(request, errors);
        await action.ThrowIfInvalidAsync(officer, caseId, ReviewSteps.Accept, errors, cancellationToken);
        return await action.RunAsync(officer, caseId, ReviewSteps.Accept, [CaseStage.AwaitingAcceptance], async (session, row) =>
        {
            var now = time.GetUtcNow();
            var accepted = clock.Accept(ChinaTime.DateOf(now));
            var document = await AcceptAsync(session, counties, clock, row, accepted, officer.Id, now, deemed: false);
            return $"受理，受理通知书 {document}，审批期限 {ChinaTime.Text(accepted.DueBy)}";
        }, cancellationToken);
    }

    /// <summary>Acceptance by an officer or, when the 5 days passed unanswered, deemed by law (the timer calls this).</summary>
    public static async Task<string> AcceptAsync(
        DbSession session, CountyDirectory counties, LegalClock clock, CaseRow row, ClockState decisionClock,
        string officerId, DateTimeOffset now, bool deemed)
    {
        var county = await CountyReviewSettings.CountyAsync(session.Connection, session.Transaction, counties.Get(row.CountyCode));
        var document = await DocumentNumbers.NextAsync(session, county, DocumentNumbers.Acceptance, now);
        var promised = clock.Promised(decisionClock, county);
        CaseAction.EnsureUpdated(await session.ExecuteAsync(UpdateSql, new
        {
            row.Id,
            row.Version,
            Stage = CaseStage.UnderReview,
            AcceptedAt = now,
            OfficerId = officerId,
            Document = document,
        }));
        if (deemed)
        {
            await session.ExecuteAsync("UPDATE review_cases SET deemed_accepted = 1 WHERE id = @Id", new { row.Id });
        }

        await session.ExecuteAsync(PromiseSql, new { row.Id, PromisedDueBy = promised?.Date });

        await CaseClock.SaveAsync(session, clock, row.Id, row.CountyCode, decisionClock, now);
        await CaseAction.SaveStepAsync(session, row.Id);
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
        return document;
    }
}
